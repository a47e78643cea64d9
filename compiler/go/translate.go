// From a body to checked Go: wrap it the way the platform does (and the
// optional seriesCode as a second function), refuse what traders cannot do
// (by token, by declaration, by name), type-check it with go/types against
// the built-in packages, and hand it to the emitter.
package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// The two parts a trader's Go comes in: filter.code and filter.seriesCode.
const (
	partBody   = ""
	partSeries = "series"
)

type diagnostic struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Part    string `json:"part,omitempty"` // "series": the position is in seriesCode
}

type result struct {
	Ok          bool         `json:"ok"`
	Cpp         string       `json:"cpp"`
	Lines       [][3]int     `json:"lines"` // generated line i+1 -> Go line, column, part (1 = seriesCode)
	Timeframes  []string     `json:"timeframes"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

// The platform wraps a body as `func evaluate(data *types.MarketData) bool { <body> }`
// and seriesCode as the body of a function returning the chart's map. Our
// prelude takes exactly one line, so body line n is wrapped line n+1; the
// series function's head sits alone on wrapped line seriesHead(), so series
// line m is wrapped line seriesHead()+m.
func wrap(body, series string, imports []string) string {
	var b strings.Builder
	b.WriteString(`package main; import ("types"; "indicators"`)
	for _, p := range imports {
		b.WriteString(`; "` + p + `"`)
	}
	b.WriteString("); func evaluate(data *types.MarketData) bool {\n")
	b.WriteString(body)
	b.WriteString("\n}\n")
	if series != "" {
		b.WriteString("func series(data *types.MarketData) map[string]interface{} {\n")
		b.WriteString(series)
		b.WriteString("\n}\n")
	}
	return b.String()
}

func lineCount(text string) int {
	return strings.Count(text, "\n") + 1
}

var knownTimeframes = map[string]bool{"1m": true, "5m": true, "15m": true, "1h": true, "4h": true, "1d": true}

// refusedTokens: keywords and operators that name something traders cannot do.
var refusedTokens = map[token.Token][2]string{
	token.GO:      {"go-no-goroutines", "goroutines ('go') are not allowed: a trader is one sequential evaluation; compute the value directly"},
	token.CHAN:    {"go-no-channels", "channels are not allowed: a trader is one sequential evaluation; use slices and variables"},
	token.ARROW:   {"go-no-channels", "channel operations ('<-') are not allowed: a trader is one sequential evaluation"},
	token.SELECT:  {"go-no-select", "'select' is not allowed: a trader has no channels"},
	token.DEFER:   {"go-no-defer", "'defer' is not allowed: run the code where it is needed"},
	token.IMPORT:  {"go-no-import", "imports are not allowed: math, strings, strconv, sort, fmt and time are usable without one; nothing else is available"},
	token.PACKAGE: {"go-no-package", "a trader is the body of evaluate(); no package clause"},
	token.GOTO:    {"go-no-goto", "'goto' is not allowed: use loops, break/continue with labels, or return"},
}

type translator struct {
	fset        *token.FileSet
	diags       []diagnostic
	lines       int // body lines
	seriesLines int // seriesCode lines, 0 without seriesCode
}

// seriesHead: the wrapped line of `func series(...) ... {`.
func (t *translator) seriesHead() int {
	return t.lines + 3
}

// local converts a wrapped line and column to the part they are in and the
// position inside that part (line 1 is the prelude; a position on a line we
// added is clamped into the nearest part).
func (t *translator) local(line, col int) (part string, l, c int) {
	part, last := partBody, t.lines
	if t.seriesLines > 0 && line >= t.seriesHead() {
		part, last, line = partSeries, t.seriesLines, line-t.seriesHead()+1
	}
	line--
	if line < 1 {
		line, col = 1, 1
	}
	if line > last {
		line, col = last, 1
		if line < 1 {
			line = 1
		}
	}
	if col < 1 {
		col = 1
	}
	return part, line, col
}

func (t *translator) at(pos token.Pos, rule, msg string) {
	p := t.fset.Position(pos)
	t.diags = append(t.diags, t.mk(p.Line, p.Column, rule, msg))
}

// mk makes a diagnostic at a wrapped position, reported in its part.
func (t *translator) mk(line, col int, rule, msg string) diagnostic {
	part, l, c := t.local(line, col)
	return diagnostic{l, c, rule, msg, part}
}

func translate(j job) (r result) {
	defer func() {
		if e := recover(); e != nil {
			r = result{Diagnostics: []diagnostic{{1, 1, "internal", fmt.Sprintf("the Go front end failed on this body (%v); this is a fault of ours: report it", e), ""}}}
		}
	}()
	t := &translator{fset: token.NewFileSet(), lines: lineCount(j.Code)}
	if j.Series != "" {
		t.seriesLines = lineCount(j.Series)
	}
	bodyOk := t.scanRefusals(j.Code, partBody)
	if (j.Series != "" && !t.scanRefusals(j.Series, partSeries)) || !bodyOk {
		return result{Diagnostics: t.diags}
	}
	// First pass: which standard package names do the parts use unresolved?
	file, ok := t.parse(wrap(j.Code, j.Series, nil))
	if !ok {
		return result{Diagnostics: t.diags}
	}
	if !t.checkTopLevel(file) {
		return result{Diagnostics: t.diags}
	}
	imports := t.packagesUsed(file)
	if len(t.diags) > 0 {
		return result{Diagnostics: t.diags}
	}
	if len(imports) > 0 {
		t.fset = token.NewFileSet()
		if file, ok = t.parse(wrap(j.Code, j.Series, imports)); !ok {
			return result{Diagnostics: t.diags}
		}
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	conf := types.Config{
		Importer: newFakeImporter(),
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				t.diags = append(t.diags, diagnostic{1, 1, "go-type-check", err.Error(), ""})
				return
			}
			// Yaegi accepts unused variables; so do we.
			if te.Soft && (strings.Contains(te.Msg, "declared but not used") || strings.Contains(te.Msg, "declared and not used") || strings.Contains(te.Msg, "imported and not used") || strings.Contains(te.Msg, "imported but not used")) {
				return
			}
			t.at(te.Pos, "go-type-check", te.Msg)
		},
	}
	_, _ = conf.Check("main", t.fset, []*ast.File{file}, info)
	if len(t.diags) > 0 {
		return result{Diagnostics: t.diags}
	}
	fn := funcDecl(file, "evaluate")
	sfn := funcDecl(file, "series")
	tfs := t.timeframes(fn, sfn, info)
	if len(t.diags) > 0 {
		return result{Diagnostics: t.diags}
	}
	e := newEmitter(t, info)
	e.refuseUnsupported(fn.Body)
	if sfn != nil {
		e.refuseUnsupported(sfn.Body)
	}
	if len(t.diags) > 0 {
		return result{Diagnostics: t.diags}
	}
	cpp, lines := e.emitTrader(fn, sfn, tfs)
	if len(t.diags) > 0 {
		return result{Diagnostics: t.diags}
	}
	return result{Ok: true, Cpp: cpp, Lines: lines, Timeframes: tfs}
}

// scanRefusals reports refused tokens of one part at the part's own positions.
func (t *translator) scanRefusals(body, part string) bool {
	before := len(t.diags)
	var s scanner.Scanner
	f := t.fset.AddFile(part+"body.go", -1, len(body))
	s.Init(f, []byte(body), func(pos token.Position, msg string) {}, 0)
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		if r, bad := refusedTokens[tok]; bad {
			p := t.fset.Position(pos)
			t.diags = append(t.diags, diagnostic{p.Line, p.Column, r[0], r[1], part})
		}
	}
	return len(t.diags) == before
}

func (t *translator) parse(src string) (*ast.File, bool) {
	file, err := parser.ParseFile(t.fset, "trader.go", src, parser.AllErrors)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				t.diags = append(t.diags, t.mk(e.Pos.Line, e.Pos.Column, "go-syntax", e.Msg))
			}
		} else {
			t.diags = append(t.diags, diagnostic{1, 1, "go-syntax", err.Error(), ""})
		}
		return nil, false
	}
	return file, true
}

// funcDecl: our wrapper function of that name (nil when there is none).
func funcDecl(file *ast.File, name string) *ast.FuncDecl {
	for _, d := range file.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Name.Name == name && f.Recv == nil {
			return f
		}
	}
	return nil
}

// checkTopLevel refuses a part that closes its function and declares more.
func (t *translator) checkTopLevel(file *ast.File) bool {
	seen, seenSeries := false, false
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.IMPORT && t.fset.Position(d.Pos()).Line == 1 {
				continue
			}
			t.at(d.Pos(), "go-no-top-level-decl", "declarations outside the body are not allowed: declare types, variables and constants inside it")
		case *ast.FuncDecl:
			if d.Recv != nil {
				t.at(d.Pos(), "go-no-methods", "method declarations are not allowed: use a function literal inside the body")
			} else if !seen && d.Name.Name == "evaluate" && t.fset.Position(d.Pos()).Line == 1 {
				seen = true
			} else if p := t.fset.Position(d.Pos()); !seenSeries && t.seriesLines > 0 && d.Name.Name == "series" && p.Line == t.seriesHead() && p.Column == 1 {
				seenSeries = true
			} else {
				t.at(d.Pos(), "go-no-top-level-decl", "function declarations outside the body are not allowed: use a function literal inside the body")
			}
		}
	}
	return len(t.diags) == 0
}

// packagesUsed: unresolved names that are standard packages usable without
// an import; refused packages and builtins are diagnosed here.
func (t *translator) packagesUsed(file *ast.File) []string {
	used := map[string]bool{}
	selectorX := map[*ast.Ident]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				selectorX[id] = true
			}
		}
		return true
	})
	unresolved := map[*ast.Ident]bool{}
	for _, id := range file.Unresolved {
		unresolved[id] = true
	}
	ast.Inspect(file, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok && unresolved[id] && id.Name == "time" {
				if r, bad := refusedTime[s.Sel.Name]; bad {
					t.at(s.Sel.Pos(), r[0], r[1])
				}
			}
		}
		return true
	})
	for _, id := range file.Unresolved {
		switch {
		case selectorX[id] && contains(stdPackages, id.Name):
			used[id.Name] = true
		case selectorX[id] && refusedPackages[id.Name] != "":
			t.at(id.Pos(), refusedPackages[id.Name], fmt.Sprintf("package %s is not available to traders: a trader sees only its market data, indicators, and math, strings, strconv, sort, fmt and time", id.Name))
		case id.Name == "panic" || id.Name == "recover":
			t.at(id.Pos(), "go-no-panic", id.Name+" is not allowed: return false (or a value) instead; a fault already ends the evaluation")
		case id.Name == "close":
			t.at(id.Pos(), "go-no-channels", "close is a channel operation; traders have no channels")
		case id.Name == "complex" || id.Name == "real" || id.Name == "imag":
			t.at(id.Pos(), "go-unsupported", "complex numbers are not supported; use float64")
		}
	}
	var out []string
	for p := range used {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// timeframes: the constant keys of data.Klines[...] the parts read. A key
// that is not a constant makes every timeframe named by a string constant in
// that part required; an unknown constant key is an error.
func (t *translator) timeframes(fn, series *ast.FuncDecl, info *types.Info) []string {
	set := map[string]bool{}
	t.partTimeframes(fn, info, set)
	if series != nil {
		t.partTimeframes(series, info, set)
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	order := map[string]int{"1m": 0, "5m": 1, "15m": 2, "1h": 3, "4h": 4, "1d": 5}
	sort.Slice(out, func(a, b int) bool { return order[out[a]] < order[out[b]] })
	return out
}

func (t *translator) partTimeframes(fn *ast.FuncDecl, info *types.Info, set map[string]bool) {
	found := len(set)
	dynamic := token.NoPos
	isKlines := func(x ast.Expr) bool {
		s, ok := unparen(x).(*ast.SelectorExpr)
		if !ok || s.Sel.Name != "Klines" {
			return false
		}
		sel := info.Selections[s]
		return sel != nil && sel.Obj().Pkg() != nil && sel.Obj().Pkg().Path() == "types"
	}
	var literals []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IndexExpr:
			if isKlines(n.X) {
				tv := info.Types[n.Index]
				if tv.Value != nil && tv.Value.Kind() == constant.String {
					k := constant.StringVal(tv.Value)
					if !knownTimeframes[k] {
						t.at(n.Index.Pos(), "go-unknown-timeframe", fmt.Sprintf("unknown timeframe %q; use one of \"1m\", \"5m\", \"15m\", \"1h\", \"4h\", \"1d\"", k))
					}
					set[k] = true
				} else if dynamic == token.NoPos {
					dynamic = n.Index.Pos()
				}
			}
		case *ast.RangeStmt:
			if isKlines(n.X) && dynamic == token.NoPos {
				dynamic = n.X.Pos()
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				if tv := info.Types[n]; tv.Value != nil && knownTimeframes[constant.StringVal(tv.Value)] {
					literals = append(literals, constant.StringVal(tv.Value))
				}
			}
		}
		return true
	})
	if dynamic != token.NoPos {
		for _, l := range literals {
			set[l] = true
		}
		if len(set) == found && len(literals) == 0 {
			t.at(dynamic, "go-unknown-timeframe", "data.Klines is read with a key that is not a constant and the body names no timeframe; write the timeframes as string constants (\"5m\")")
		}
	}
}
