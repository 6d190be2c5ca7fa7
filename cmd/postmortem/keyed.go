package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// keyValue is one KEY=VALUE a repeated flag was given, and the flag.
type keyValue struct{ flag, key, value string }

// keyed reads the values of a repeated KEY=VALUE flag, in the order given,
// each key once (--grace user-notice=1h, --within improvement-plan=1m,
// --revenue 2023=N). A value without "=" has the key "" where bare names
// what that stands for ("every duty"), and is refused where bare is "";
// noun names what a key is ("duty"), accepted what the flag takes.
func keyed(flag string, vals []string, noun, bare, accepted string) ([]keyValue, error) {
	var out []keyValue
	seen := map[string]bool{}
	for _, v := range vals {
		key, value, ok := strings.Cut(v, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok && bare == "":
			return nil, &incident.FieldError{Field: flag, Msg: fmt.Sprintf("%q; accepted: %s", v, accepted)}
		case !ok:
			key, value = "", strings.TrimSpace(v)
		case key == "":
			return nil, &incident.FieldError{Field: flag, Msg: fmt.Sprintf("%q names no %s; accepted: %s", v, noun, accepted)}
		}
		if seen[key] {
			what := key
			if key == "" {
				what = bare
			}
			return nil, &incident.FieldError{Field: flag, Msg: fmt.Sprintf("given twice for %s; give it once", what)}
		}
		seen[key] = true
		out = append(out, keyValue{flag, key, value})
	}
	return out, nil
}

// englishFlag adds --en FIELD=TEXT to cmd: English texts beside the Korean
// of the record kind's fields, for documents in English.
func englishFlag(cmd *cobra.Command, dst *[]string, kind string) {
	cmd.Flags().StringArrayVar(dst, "en", nil, "an English text beside the Korean, for --lang en documents: FIELD=TEXT with FIELD one of "+
		strings.Join(incident.EnglishFields(kind), ", ")+" (repeat; FIELD= clears)")
}

// englishTexts reads the --en values given for a record kind.
func englishTexts(vals []string, kind string) (map[string]string, error) {
	kvs, err := keyed("en", vals, "field", "", "FIELD=TEXT with FIELD one of "+strings.Join(incident.EnglishFields(kind), ", "))
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		out[kv.key] = kv.value
	}
	return out, nil
}
