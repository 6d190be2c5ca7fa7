package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// Exit codes: what a script may rely on.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitOverdue = 3
	exitBlocked = 4 // gate: work may not go ahead
	exitBroken  = 5 // verify: the history is broken or disagrees with the records
	exitStale   = 6 // set --if-version: the record changed since that version
)

// usageError is a mistake in how the command was called; usage is printed.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCodeError ends the program with a code and no message of its own.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func run() int {
	// Interrupted (SIGINT, SIGTERM), the command's context ends: the
	// terminal UI quits and gives the terminal back as it found it, serve
	// ends its sessions the same way, a write rolls back. A command still
	// running after stopGrace, or a second signal, ends the process. Either
	// way no temporary file is left behind (a report or export being
	// written), and the exit code is the signal's.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	var stopped atomic.Int32
	go func() {
		code := int32(130)
		if <-sig == syscall.SIGTERM {
			code = 143
		}
		stopped.Store(code)
		cancel()
		select {
		case <-sig:
		case <-time.After(stopGrace):
		}
		report.RemoveTemporaries()
		os.Exit(int(code))
	}()
	code := execute(ctx, os.Args[1:], newFactory(os.Stdin, os.Stdout, os.Stderr, os.Getenv))
	if c := stopped.Load(); c != 0 {
		report.RemoveTemporaries()
		return int(c)
	}
	return code
}

// stopGrace is how long a command has to end by itself once interrupted.
const stopGrace = 8 * time.Second

// execute runs one command line and turns its error into an exit code, in
// this one place.
func execute(ctx context.Context, args []string, f *factory) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.errOut, "postmortem: internal error: %s\n", incident.Printable(fmt.Sprint(r)))
			code = exitError
		}
	}()
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil {
		return exitOK
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	// A message may quote what was typed (a file name, say): it reaches
	// the terminal escaped, as every text output does.
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintf(f.errOut, "postmortem: %s\n", clipMiddle(incident.Printable(msg), maxErrorLine))
	if errors.Is(err, errPackage) {
		return exitBroken // a package, not the records: verify-package says what differs
	}
	if errors.Is(err, incident.ErrBroken) {
		fmt.Fprintln(f.errOut, "postmortem: nothing is decided on records changed behind postmortem's back (postmortem verify checks the whole history)")
		return exitBroken
	}
	var stale *incident.StaleError
	if errors.As(err, &stale) {
		return exitStale
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(msg) {
		cmd, _, ferr := root.Find(args)
		if ferr != nil || cmd == nil {
			cmd = root
		}
		fmt.Fprintf(f.errOut, "\n%s", cmd.UsageString())
		return exitUsage
	}
	return exitError
}

// isCobraUsage spots the errors cobra makes itself for unknown commands.
// maxErrorLine bounds an error line: a message quoting a megabyte typed
// by mistake keeps its field name and what is accepted, not the megabyte.
const maxErrorLine = 600

// clipMiddle cuts the middle of s when it is longer than max bytes, on
// rune boundaries, saying how much was cut.
func clipMiddle(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head, tail := max/2, max/2
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	cut := len(s) - tail
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	return fmt.Sprintf("%s … (%d bytes cut) … %s", s[:head], cut-head, s[cut:])
}

func isCobraUsage(msg string) bool {
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

// args checks the positional arguments, naming what was expected.
func args(min, max int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if len(a) < min || (max >= 0 && len(a) > max) {
			return usageError{fmt.Errorf("%s: expected %s, got %d argument(s)", cmd.CommandPath(), names, len(a))}
		}
		return nil
	}
}

func isConflict(err error) bool { return errors.Is(err, incident.ErrConflict) }
