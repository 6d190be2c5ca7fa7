// Package templates holds the report templates, one folder per language
// (ko, en), embedded in the binary. Each is a text/template producing
// Markdown; the report package executes them. The package imports nothing
// of ours: it exists only because go:embed cannot reach parent folders.
package templates

import "embed"

// FS holds ko/*.md.tmpl and en/*.md.tmpl.
//
//go:embed ko en
var FS embed.FS
