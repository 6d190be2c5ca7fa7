package report

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// Reports names the built-in reports and the data each template sees.
var reports = map[string]any{
	"postmortem": PostmortemData{},
	"plan":       OrderData{},
	"correction": OrderData{},
	"notice":     NoticeData{},
	"quarterly":  QuarterlyData{},
	// The page furniture's parts, parts/header.txt.tmpl and
	// parts/footer.txt.tmpl, see a page.
	"header": PageData{},
	"footer": PageData{},
}

// ReportNames lists the reports a template can be written for.
func ReportNames() []string {
	out := make([]string, 0, len(reports))
	for n := range reports {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Fields lists what the template of report name can use: each field's
// path from the top ({{.I.Title}}) and its type, a few levels deep.
func Fields(name string) ([]string, error) {
	v, ok := reports[name]
	if !ok {
		return nil, &incident.FieldError{Field: "report", Msg: fmt.Sprintf("%q; accepted: %s", name, strings.Join(ReportNames(), ", "))}
	}
	var out []string
	walkFields(reflect.TypeOf(v), ".", 0, &out)
	return out, nil
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(incident.Date{})
)

func walkFields(t reflect.Type, prefix string, depth int, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 3 {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		path := prefix + f.Name
		*out = append(*out, path+"  "+typeName(f.Type))
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == timeType || ft == dateType:
		case ft.Kind() == reflect.Struct:
			walkFields(ft, path+".", depth+1, out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			walkFields(ft.Elem(), path+"[].", depth+1, out)
		}
	}
}

func typeName(t reflect.Type) string {
	s := t.String()
	s = strings.ReplaceAll(s, "incident.", "")
	return strings.ReplaceAll(s, "report.", "")
}
