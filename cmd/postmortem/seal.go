package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/ssh"

	"github.com/postmortem/postmortem/incident"
)

// maxKeyFile is the largest key file read: an OpenSSH key is a few hundred
// bytes, an authorized_keys file of many keys a few KiB.
const maxKeyFile = 1 << 20

// sealKeyEnv names the private key sealing uses when no --key is given;
// passphraseEnv the passphrase of a protected one.
const (
	sealKeyEnv    = "POSTMORTEM_SEAL_KEY"
	passphraseEnv = "POSTMORTEM_KEY_PASSPHRASE"
)

type sealOptions struct {
	parsed
	f   *factory
	key string
}

func newSealCmd(f *factory, runF func(*sealOptions) error) *cobra.Command {
	o := &sealOptions{f: f}
	cmd := &cobra.Command{
		Use:   "seal --key FILE [--reason TEXT]",
		Short: "Sign the history's head with an Ed25519 key the database does not hold",
		Long: `seal signs the history's current head with an Ed25519 private key (an
OpenSSH key file works: ssh-keygen -t ed25519 -f seal.key) and appends the
seal to the history. The key stays outside the database, so whoever can
write the file can recompute every hash but cannot sign: verify --key
seal.key.pub then finds that the chain no longer passes through the sealed
head. order submit seals too when a key is given. The key defaults to
$` + sealKeyEnv + `; a passphrase-protected key reads its passphrase from
$` + passphraseEnv + `.`,
		Args: args(0, 0, "no arguments; name the key with --key"),
		RunE: runE(o, nil, runF),
	}
	cmd.Flags().StringVar(&o.key, "key", "", "the Ed25519 private key file (default $"+sealKeyEnv+")")
	f.reasonFlag(cmd)
	return cmd
}

func (o *sealOptions) run() error {
	path := o.key
	if path == "" {
		path = o.f.getenv(sealKeyEnv)
	}
	if path == "" {
		return usageError{errors.New("seal: name the private key with --key FILE (or set " + sealKeyEnv + ")")}
	}
	key, err := readPrivateKey(path, o.f.getenv)
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	sl, err := s.Seal(o.ctx, key, o.f.reason)
	if err != nil {
		return err
	}
	printSeal(o.f, sl)
	return nil
}

func printSeal(f *factory, sl *incident.Seal) {
	fmt.Fprintf(f.out, "sealed: row %d, head %s\n", sl.Rows, sl.Head)
	fmt.Fprintf(f.out, "key %s (seal %d)\n", sl.Fingerprint, sl.No)
}

// readKeyFile reads a key file: a regular file of at most maxKeyFile.
func readKeyFile(field, path string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, &incident.FieldError{Field: field, Msg: fmt.Sprintf("%s: %v", path, errors.Unwrap(err))}
	case !fi.Mode().IsRegular():
		return nil, &incident.FieldError{Field: field, Msg: fmt.Sprintf("%s is not a regular file; accepted: a key file", path)}
	case fi.Size() > maxKeyFile:
		return nil, &incident.FieldError{Field: field, Msg: fmt.Sprintf("%s is %d bytes; a key file is at most %d KiB", path, fi.Size(), maxKeyFile>>10)}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, &incident.FieldError{Field: field, Msg: fmt.Sprintf("%s: %v", path, errors.Unwrap(err))}
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, maxKeyFile))
}

// readPrivateKey reads an Ed25519 private key: OpenSSH's format (as
// ssh-keygen writes it) or PKCS #8 PEM.
func readPrivateKey(path string, getenv func(string) string) (ed25519.PrivateKey, error) {
	b, err := readKeyFile("key", path)
	if err != nil {
		return nil, err
	}
	raw, err := ssh.ParseRawPrivateKey(b)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		pass := getenv(passphraseEnv)
		if pass == "" {
			return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s is protected by a passphrase; set %s to it", path, passphraseEnv)}
		}
		raw, err = ssh.ParseRawPrivateKeyWithPassphrase(b, []byte(pass))
	}
	if err != nil {
		return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s does not read as a private key (%v); accepted: an Ed25519 key, as ssh-keygen -t ed25519 writes it", path, err)}
	}
	switch k := raw.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *ed25519.PrivateKey:
		return *k, nil
	}
	return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s holds a %T key; accepted: an Ed25519 key (ssh-keygen -t ed25519)", path, raw)}
}

// readPublicKeys reads the Ed25519 keys of a public key file: one key (a
// .pub file) or several (authorized_keys), a line each. A private key file
// given by mistake stands for its public key.
func readPublicKeys(path string, getenv func(string) string) ([]ed25519.PublicKey, error) {
	b, err := readKeyFile("key", path)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(b, []byte("PRIVATE KEY-----")) {
		k, err := readPrivateKey(path, getenv)
		if err != nil {
			return nil, err
		}
		return []ed25519.PublicKey{k.Public().(ed25519.PublicKey)}, nil
	}
	var keys []ed25519.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s line %d does not read as a public key (%v); accepted: ssh-ed25519 AAAA... lines", path, n, err)}
		}
		cpk, ok := pk.(ssh.CryptoPublicKey)
		if !ok {
			return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s line %d: %s key; accepted: ssh-ed25519", path, n, pk.Type())}
		}
		ek, ok := cpk.CryptoPublicKey().(ed25519.PublicKey)
		if !ok {
			return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s line %d: %s key; accepted: ssh-ed25519", path, n, pk.Type())}
		}
		keys = append(keys, ek)
	}
	if len(keys) == 0 {
		return nil, &incident.FieldError{Field: "key", Msg: fmt.Sprintf("%s holds no public key; accepted: ssh-ed25519 AAAA... lines", path)}
	}
	return keys, nil
}
