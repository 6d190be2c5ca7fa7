package report

import (
	"errors"
	"fmt"
	"reflect"
	"text/template"
)

// MaxFuncText is how many bytes of text the functions of one template run
// may build in all. A template keeps what a function returns in variables
// without writing it, so the cap on its output alone would let
// {{range 40}}{{$s = printf "%s%s" $s $s}}{{end}} double a text until the
// process runs out of memory; counted here, it stops with an error. The
// built-in reports build a few MiB at most.
const MaxFuncText = 4 * MaxMarkdown

var errTooMuchText = errors.New("template builds too much text")

// meter counts what the functions of one template run return.
type meter struct {
	name string
	left int
}

// take counts n bytes, refusing once the run has built more than it may.
func (m *meter) take(fn string, n int) {
	if n > m.left {
		m.left = 0
		panic(fmt.Errorf("%s in template %s: more than %d MiB of text built by its functions (a loop that grows a variable?): %w",
			fn, m.name, MaxFuncText>>20, errTooMuchText))
	}
	m.left -= n
}

// builtins replace text/template's own functions that build text, so they
// too are counted: the same behaviour, through the meter.
var builtins = template.FuncMap{
	"print":    fmt.Sprint,
	"printf":   fmt.Sprintf,
	"println":  fmt.Sprintln,
	"html":     template.HTMLEscaper,
	"js":       template.JSEscaper,
	"urlquery": template.URLQueryEscaper,
}

// funcs returns fm and the text-building builtins, each counting on m the
// text it is given (before it runs, so no single call builds more than the
// run has left) and the text it returns.
func (m *meter) funcs(fm template.FuncMap) template.FuncMap {
	out := make(template.FuncMap, len(fm)+len(builtins))
	for _, set := range []template.FuncMap{builtins, fm} {
		for name, fn := range set {
			out[name] = m.wrap(name, fn)
		}
	}
	return out
}

func (m *meter) wrap(name string, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		in := 0
		for _, a := range args {
			in += textLen(a)
		}
		if in > m.left {
			m.take(name, in)
		}
		var out []reflect.Value
		if t.IsVariadic() {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if len(out) > 0 {
			m.take(name, textLen(out[0]))
		}
		return out
	}).Interface()
}

// textLen is the length of the text v holds: a string, a list of them
// (a variadic call's arguments), or either behind an interface.
func textLen(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return textLen(v.Elem())
	case reflect.String:
		return v.Len()
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String && v.Type().Elem().Kind() != reflect.Interface {
			return 0
		}
		n := 0
		for i := 0; i < v.Len(); i++ {
			n += textLen(v.Index(i))
		}
		return n
	}
	return 0
}
