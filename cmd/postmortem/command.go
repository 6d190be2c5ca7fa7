package main

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// parsed is what cobra hands a command's run besides its flags and
// arguments: the context it runs in and which flags were given. Every
// options struct embeds it, so run never sees cobra.
type parsed struct {
	ctx   context.Context
	given map[string]bool
}

// changed reports whether flag was given on the command line.
func (p *parsed) changed(flag string) bool { return p.given[flag] }

func (p *parsed) parse(cmd *cobra.Command) {
	p.ctx = cmd.Context()
	if p.ctx == nil {
		p.ctx = context.Background()
	}
	p.given = map[string]bool{}
	cmd.Flags().Visit(func(fl *pflag.Flag) { p.given[fl.Name] = true })
}

// runner is a command's options: filled by cobra, run without it.
type runner interface {
	parse(*cobra.Command)
	run() error
}

// runE is a command's RunE, after gh: cobra has parsed the flags into o;
// args, when given, takes the positional arguments; then runF (a test's,
// to see what was parsed) or o.run does the work.
func runE[O runner](o O, args func([]string), runF func(O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, a []string) error {
		o.parse(cmd)
		if args != nil {
			args(a)
		}
		if runF != nil {
			return runF(o)
		}
		return o.run()
	}
}
