package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// Exit codes: what a script may rely on.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitOverdue = 3
	exitBlocked = 4 // gate: work may not go ahead
	exitBroken  = 5 // verify: the history is broken or disagrees with the records
)

// usageError is a mistake in how the command was called; usage is printed.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCodeError ends the program with a code and no message of its own.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func run() int {
	return execute(context.Background(), os.Args[1:], newFactory(os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// execute runs one command line and turns its error into an exit code, in
// this one place.
func execute(ctx context.Context, args []string, f *factory) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.errOut, "postmortem: internal error: %v\n", r)
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
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintf(f.errOut, "postmortem: %s\n", msg)
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
