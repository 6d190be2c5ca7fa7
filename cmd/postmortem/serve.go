package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/scp"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/tui"
)

type serveOptions struct {
	parsed
	f                            *factory
	listen, keys, hostKey, saved string
	idle                         time.Duration
	sessions                     int
}

func newServeCmd(f *factory, runF func(*serveOptions) error) *cobra.Command {
	o := &serveOptions{f: f}
	cmd := &cobra.Command{
		Use:   "serve [--listen :2222] [--authorized-keys FILE] [--host-key FILE]",
		Short: "Serve the terminal UI over SSH: the whole response team on one incident, each as themselves",
		Long: `Serve the terminal UI over SSH, one process on one database (a SQLite file or
PostgreSQL). Each responder runs ssh -p 2222 HOST and gets the terminal UI as
the person their key names; an unknown key is refused before any screen.

The authorized-keys file is OpenSSH's, one key a line, named by its comment or
by a name="..." option; read-only marks a viewer (compliance, a manager), who
sees everything live and can change nothing; tz="Asia/Seoul" sets the
person's zone. It is read again for every connection: an edit takes effect
for the next one.

  name="김지휘",tz="Asia/Seoul" ssh-ed25519 AAAA... kim@laptop
  read-only ssh-ed25519 AAAA... compliance

Reports exported (x) in a session are written under --reports, never where
the client names, and fetched with scp -O -P 2222 HOST:FILE . (read-only;
-O: the scp protocol, not SFTP).`,
		Args: args(0, 0, "no arguments"),
		RunE: runE(o, nil, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.listen, "listen", ":2222", "address to listen on")
	fl.StringVar(&o.keys, "authorized-keys", "", "the team's keys, OpenSSH format (default: authorized_keys beside the database)")
	fl.StringVar(&o.hostKey, "host-key", "", "the server's key, made once if missing (default: postmortem_host_ed25519 beside the database)")
	fl.StringVar(&o.saved, "reports", "", "folder reports exported in sessions are written to (default: reports beside the database)")
	fl.DurationVar(&o.idle, "idle", 30*time.Minute, "a session with no keystroke for this long is closed")
	fl.IntVar(&o.sessions, "max-sessions", 64, "sessions served at once; more are told to wait")
	return cmd
}

// member is one key of the team's: who it is, and what they may do.
type member struct {
	name   string
	key    gossh.PublicKey
	viewer bool
	zone   *time.Location
}

type memberKey struct{}

// readMembers reads an authorized-keys file: each key with the name its
// name="..." option or its comment gives it (one without either is
// refused: the record says who did what), read-only for a viewer, and
// tz="ZONE".
//
// A line it cannot take is a problem, named with its line; the other keys
// stand: serve refuses to start on a problem, but a line mistyped into the
// file of a running server locks out no one else.
func readMembers(path string, def *time.Location) ([]member, []error, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("authorized keys: %w", err)
	}
	var out []member
	var problems []error
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, opts, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			problems = append(problems, &incident.FieldError{Field: "authorized-keys", Msg: fmt.Sprintf("%s line %d: %v; accepted: OpenSSH authorized_keys lines", path, n, err)})
			continue
		}
		m := member{key: key, name: strings.TrimSpace(comment), zone: def}
		for _, o := range opts {
			k, v, _ := strings.Cut(o, "=")
			v = strings.Trim(v, `"`)
			switch strings.ToLower(k) {
			case "name":
				m.name = strings.TrimSpace(v)
			case "read-only", "viewer":
				m.viewer = true
			case "tz":
				if m.zone, err = time.LoadLocation(v); err != nil {
					m.zone = nil
					problems = append(problems, &incident.FieldError{Field: "authorized-keys", Msg: fmt.Sprintf("%s line %d: tz %q is not a zone; accepted: an IANA name such as Asia/Seoul", path, n, incident.Printable(v))})
				}
			}
		}
		switch {
		case m.zone == nil:
			continue
		case m.name == "":
			problems = append(problems, &incident.FieldError{Field: "authorized-keys", Msg: fmt.Sprintf("%s line %d: the key names no one; give it a comment or name=\"...\" (the record says who did what)", path, n)})
			continue
		case incident.Printable(m.name) != m.name || len(m.name) > incident.MaxName:
			problems = append(problems, &incident.FieldError{Field: "authorized-keys", Msg: fmt.Sprintf("%s line %d: the name %q holds control characters or invalid UTF-8, or is longer than %d bytes; accepted: a person's name as printable text", path, n, incident.Printable(m.name), incident.MaxName)})
			continue
		}
		out = append(out, m)
	}
	return out, problems, sc.Err()
}

func (o *serveOptions) run() error {
	ctx, stop := signal.NotifyContext(o.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	path, err := o.f.DBPath()
	if err != nil {
		return err
	}
	beside := "."
	if !incident.IsServerURL(path) {
		beside = filepath.Dir(path)
	}
	if o.keys == "" {
		o.keys = filepath.Join(beside, "authorized_keys")
	}
	if o.hostKey == "" {
		o.hostKey = filepath.Join(beside, "postmortem_host_ed25519")
	}
	if o.saved == "" {
		o.saved = filepath.Join(beside, "reports")
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	// Refused at the start, not at the first connection.
	if _, problems, err := readMembers(o.keys, loc); err != nil {
		return err
	} else if len(problems) > 0 {
		return errors.Join(problems...)
	}
	if err := os.MkdirAll(o.saved, 0o700); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	cadence, err := parseCadence(o.f.cadence)
	if err != nil {
		return err
	}
	s, err := o.f.Store(ctx)
	if err != nil {
		return err
	}
	rs, err := o.f.Regimes()
	if err != nil {
		return err
	}
	var active atomic.Int64
	var programs sync.Map // the sessions' programs, to end them on a stop
	var stopping atomic.Bool
	srv, err := wish.NewServer(
		wish.WithAddress(o.listen),
		wish.WithHostKeyPath(o.hostKey),
		wish.WithIdleTimeout(o.idle),
		wish.WithPublicKeyAuth(func(c ssh.Context, key ssh.PublicKey) bool {
			ms, problems, err := readMembers(o.keys, loc)
			if err != nil {
				fmt.Fprintf(o.f.errOut, "postmortem serve: %v\n", err)
				return false
			}
			for _, p := range problems {
				fmt.Fprintf(o.f.errOut, "postmortem serve: skipped: %v\n", p)
			}
			for i := range ms {
				if ssh.KeysEqual(key, ms[i].key) {
					c.SetValue(memberKey{}, &ms[i])
					return true
				}
			}
			return false
		}),
		wish.WithMiddleware(
			// Runs when a session's screen has ended: on a stop, each
			// client is told why, after its terminal is given back.
			func(next ssh.Handler) ssh.Handler {
				return func(sess ssh.Session) {
					if stopping.Load() {
						fmt.Fprintln(sess, "postmortem serve: the server is stopping; every entry you saw saved is saved (a form not saved was not).")
					}
					next(sess)
				}
			},
			bubbletea.MiddlewareWithProgramHandler(func(sess ssh.Session) *tea.Program {
				m, _ := sess.Context().Value(memberKey{}).(*member)
				if m == nil {
					return nil
				}
				store := s
				if m.viewer {
					store = s.Viewer()
				}
				fetch := "scp -O -P 2222 HOST:%s ."
				if a, ok := sess.LocalAddr().(*net.TCPAddr); ok {
					fetch = fmt.Sprintf("scp -O -P %d %s:%%s .", a.Port, a.IP)
				}
				p := tea.NewProgram(tui.New(tui.Config{Store: store, Regimes: rs, Zone: m.zone, Now: o.f.now, Author: m.name,
					ExportDir: o.saved, Fetch: fetch, Viewer: m.viewer, Context: sess.Context(), Cadence: cadence}),
					// The server's signals are the server's: its drain ends
					// each session and says why, a session's program must
					// not quit on them first.
					append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler())...)
				programs.Store(p, m.name)
				go func() { <-sess.Context().Done(); programs.Delete(p) }()
				return p
			}),
			scp.Middleware(scp.NewFSReadHandler(os.DirFS(o.saved)), nil),
			scpFinished,
			o.capped(&active),
		),
	)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(o.f.errOut, "postmortem serve: listening on %s (keys %s, reports %s)\n", ln.Addr(), o.keys, o.saved)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	// Drain: each session's program ends with its context, restoring the
	// client's terminal; what was saved is saved (each save commits as it
	// is made), a form not yet saved is lost with the session, as on a
	// terminal closed.
	fmt.Fprintf(o.f.errOut, "postmortem serve: stopping; sessions open: %d, each ended and its terminal given back\n", active.Load())
	stopping.Store(true)
	programs.Range(func(p, _ any) bool { p.(*tea.Program).Quit(); return true })
	for wait := time.Now().Add(5 * time.Second); active.Load() > 0 && time.Now().Before(wait); {
		time.Sleep(20 * time.Millisecond)
	}
	// The sessions have ended; their connections close as the clients
	// read the end (a reset before that loses the client's exit status).
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return srv.Close()
	}
	return nil
}

// scpFinished lets a download end on the client's side before the session
// closes. The scp source sends everything without reading the client's
// acknowledgements; closed at once, a client still taking in what was sent
// says "lost connection". So its acknowledgements are read until it has
// been quiet for scpQuiet (it sends the last as soon as the file is in),
// or has closed its side.
func scpFinished(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		next(sess)
		if !scp.GetInfo(sess.Command()).Ok {
			return
		}
		heard, done := make(chan struct{}, 1), make(chan struct{})
		go func() {
			defer close(done)
			b := make([]byte, 64)
			for {
				n, err := sess.Read(b)
				if n > 0 {
					select {
					case heard <- struct{}{}:
					default:
					}
				}
				if err != nil {
					return
				}
			}
		}()
		for quiet := time.NewTimer(scpQuiet); ; {
			select {
			case <-heard:
				quiet.Reset(scpQuiet)
			case <-quiet.C:
				return
			case <-done:
				return
			}
		}
	}
}

const scpQuiet = 300 * time.Millisecond

// capped tells a session over the limit to come back, before any screen.
func (o *serveOptions) capped(active *atomic.Int64) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			if active.Add(1) > int64(o.sessions) {
				active.Add(-1)
				wish.Fatalf(sess, "postmortem serve: %d sessions are open, the most this server takes; try again shortly\n", o.sessions)
				return
			}
			defer active.Add(-1)
			next(sess)
		}
	}
}
