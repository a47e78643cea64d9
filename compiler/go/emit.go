// The emitter's shared state: generated lines with their Go positions, C++
// names for Go objects (unique per object, so Go's shadowing and := are
// exact), C++ spellings of Go types, and the hoisted struct definitions.
package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

type emitter struct {
	t       *translator
	info    *types.Info
	out     []string
	lines   [][3]int
	indent  int
	names   map[types.Object]string
	taken   map[string]int
	structs []string // hoisted definitions, already indented
	slines  [][3]int
	snames  map[string]string // types.TypeString -> C++ name
	tmp     int
	results []*types.Tuple // enclosing functions' results (innermost last)
	named   [][]string     // C++ names of named results, per enclosing function
	jumps   []*breakable   // enclosing for/switch statements, innermost last
	// Bodies of function literals, spliced in where their placeholder
	// ("\x00N\x00" in an expression's text) reaches a line.
	pendingLambda []lambdaBody
	// The function's data parameter and its data.Klines["..."] locals, when
	// it reads nothing else of its MarketData (klines_only.go); else nil.
	klinesData types.Object
	klinesVars map[string]string
}

type lambdaBody struct {
	lines  []string
	pos    [][3]int
	indent int
}

func newEmitter(t *translator, info *types.Info) *emitter {
	return &emitter{t: t, info: info, names: map[types.Object]string{}, taken: map[string]int{}, snames: map[string]string{}}
}

// builtinCalled: the name of the builtin that call x calls, or "".
func builtinCalled(info *types.Info, x *ast.CallExpr) string {
	if id, ok := unparen(x.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			return b.Name()
		}
	}
	return ""
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}

// line appends one generated line that came from Go position pos; its map
// entry is (line, column, part) with part 1 for seriesCode.
func (e *emitter) line(pos token.Pos, text string) {
	p := e.t.fset.Position(pos)
	part, l, c := e.t.local(p.Line, p.Column)
	if !pos.IsValid() {
		part, l, c = partBody, 1, 1
	}
	where := [3]int{l, c, 0}
	if part == partSeries {
		where[2] = 1
	}
	for {
		at := strings.IndexByte(text, 0)
		if at < 0 {
			break
		}
		end := at + 1 + strings.IndexByte(text[at+1:], 0)
		k, _ := strconv.Atoi(text[at+1 : end])
		e.out = append(e.out, strings.Repeat("  ", e.indent)+text[:at])
		e.lines = append(e.lines, where)
		body := e.pendingLambda[k]
		e.out = append(e.out, body.lines...)
		e.lines = append(e.lines, body.pos...)
		text = text[end+1:]
	}
	e.out = append(e.out, strings.Repeat("  ", e.indent)+text)
	e.lines = append(e.lines, where)
}

func (e *emitter) fail(n ast.Node, msg string) {
	e.t.at(n.Pos(), "go-unsupported", msg)
}

func (e *emitter) newTemp(what string) string {
	e.tmp++
	return fmt.Sprintf("vyx_%s%d", what, e.tmp)
}

var cppReserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch template this thread_local throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq main filter series data_ NULL errno assert offsetof int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t size_t std final override import module abs sqrt`) {
		cppReserved[w] = true
	}
}

// name is the C++ name of a Go object: the Go name when it is free, with a
// suffix when another object already has it (shadowing), escaped when it
// clashes with C++.
func (e *emitter) name(obj types.Object) string {
	if n, ok := e.names[obj]; ok {
		return n
	}
	base := obj.Name()
	if cppReserved[base] || strings.HasPrefix(base, "vyx") || strings.HasPrefix(base, "_") {
		base = "u_" + base
	}
	base = strings.ReplaceAll(base, "__", "_U_")
	n := base
	if k := e.taken[base]; k > 0 {
		n = fmt.Sprintf("%s_%d", base, k+1)
	}
	e.taken[base]++
	e.names[obj] = n
	return n
}

func (e *emitter) defName(id *ast.Ident) string {
	if obj := e.info.Defs[id]; obj != nil {
		return e.name(obj)
	}
	if obj := e.info.Uses[id]; obj != nil {
		return e.name(obj)
	}
	return id.Name
}

// sdkStructs: anonymous struct types the indicators return, by their Go spelling.
var sdkStructs = map[string]string{
	"struct{MACD float64; Signal float64; Histogram float64}": "vyx::go::indicators::LatestMACD",
	"struct{Upper float64; Middle float64; Lower float64}":    "vyx::go::indicators::LatestBands",
}

// ctype is the C++ spelling of a Go type.
func (e *emitter) ctype(t types.Type, at ast.Node) string {
	switch t := t.(type) {
	case *types.Basic:
		switch t.Kind() {
		case types.Bool, types.UntypedBool:
			return "bool"
		case types.Int, types.Int64, types.UntypedInt:
			return "long"
		case types.Int32, types.UntypedRune:
			return "int"
		case types.Int16:
			return "short"
		case types.Int8:
			return "signed char"
		case types.Uint, types.Uint64, types.Uintptr:
			return "unsigned long"
		case types.Uint32:
			return "unsigned int"
		case types.Uint16:
			return "unsigned short"
		case types.Uint8:
			return "unsigned char"
		case types.Float64, types.UntypedFloat:
			return "double"
		case types.Float32:
			return "float"
		case types.String, types.UntypedString:
			return "vyx::go::string"
		case types.UntypedNil:
			return "vyx::go::nil_t"
		}
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() != "main" {
			return "vyx::go::" + obj.Pkg().Path() + "::" + obj.Name()
		}
		if obj.Pkg() == nil && obj.Name() == "error" {
			return "vyx::go::error"
		}
		return e.name(obj)
	case *types.Pointer:
		return "vyx::go::ptr<" + e.ctype(t.Elem(), at) + ">"
	case *types.Slice:
		return "vyx::go::slice<" + e.ctype(t.Elem(), at) + ">"
	case *types.Array:
		return fmt.Sprintf("vyx::go::array<%s, %d>", e.ctype(t.Elem(), at), t.Len())
	case *types.Map:
		return "vyx::go::map<" + e.ctype(t.Key(), at) + ", " + e.ctype(t.Elem(), at) + ">"
	case *types.Signature:
		return "vyx::go::func<" + e.resultType(t.Results(), at) + "(" + e.paramTypes(t.Params(), at) + ")>"
	case *types.Struct:
		return e.structName(t, at)
	case *types.Tuple:
		return e.resultType(t, at)
	case *types.Interface:
		if t.Empty() {
			return "vyx::go::any"
		}
	}
	e.fail(at, fmt.Sprintf("the type %s is not supported in traders", t))
	return "void"
}

func (e *emitter) paramTypes(p *types.Tuple, at ast.Node) string {
	var parts []string
	for i := 0; i < p.Len(); i++ {
		parts = append(parts, e.ctype(p.At(i).Type(), at))
	}
	return strings.Join(parts, ", ")
}

func (e *emitter) resultType(r *types.Tuple, at ast.Node) string {
	switch r.Len() {
	case 0:
		return "void"
	case 1:
		return e.ctype(r.At(0).Type(), at)
	}
	return "vyx::go::tuple<" + e.paramTypes(r, at) + ">"
}

// structName hoists an anonymous struct type to a named C++ struct.
func (e *emitter) structName(s *types.Struct, at ast.Node) string {
	key := types.TypeString(s, func(p *types.Package) string { return p.Path() })
	if n, ok := sdkStructs[key]; ok {
		return n
	}
	if n, ok := e.snames[key]; ok {
		return n
	}
	n := fmt.Sprintf("vyx_struct%d", len(e.snames)+1)
	e.snames[key] = n
	save, saveLines, saveIndent := e.out, e.lines, e.indent
	e.out, e.lines, e.indent = nil, nil, 0
	e.line(at.Pos(), "struct "+n+" {")
	e.indent++
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		e.line(at.Pos(), e.ctype(f.Type(), at)+" "+e.fieldName(f)+"{};")
	}
	e.line(at.Pos(), e.structOps(n, s))
	e.indent--
	e.line(at.Pos(), "};")
	e.structs = append(e.structs, e.out...)
	e.slines = append(e.slines, e.lines...)
	e.out, e.lines, e.indent = save, saveLines, saveIndent
	return n
}

// structOps: Go's == on structs, field by field.
func (e *emitter) structOps(n string, s *types.Struct) string {
	var parts []string
	for i := 0; i < s.NumFields(); i++ {
		f := e.fieldName(s.Field(i))
		parts = append(parts, f+" == b."+f)
	}
	if len(parts) == 0 {
		parts = []string{"true"}
	}
	return "bool operator==(const " + n + "& b) const { return " + strings.Join(parts, " && ") + "; }"
}

func (e *emitter) fieldName(f *types.Var) string {
	if f.Pkg() != nil && f.Pkg().Path() != "main" {
		return f.Name()
	}
	n := f.Name()
	if cppReserved[n] || strings.HasPrefix(n, "vyx") || strings.HasPrefix(n, "_") {
		n = "u_" + n
	}
	return strings.ReplaceAll(n, "__", "_U_")
}

// emitTrader writes the whole C++ file: hoisted structs, then filter()
// building the Go MarketData from the market and running the body, then
// (with seriesCode) series() running it and handing its map to the
// platform's output contract (vyx::go::write_series).
func (e *emitter) emitTrader(fn, series *ast.FuncDecl, tfs []string) (string, [][3]int) {
	e.line(fn.Body.Lbrace, "bool filter(const vyx::Market& vyx_market) {")
	e.indent++
	e.borrowServedWindows(fn)
	e.marketData(fn, tfs)
	e.funcBody(fn)
	e.indent--
	e.line(fn.Body.Rbrace, "}")
	if series != nil {
		at := series.Body.Lbrace
		e.line(at, "void series(const vyx::Market& vyx_market, vyx::Plot& vyx_plot) {")
		e.indent++
		e.borrowServedWindows(series)
		e.marketData(series, tfs)
		sig := e.info.Defs[series.Name].Type().(*types.Signature)
		e.line(at, "auto vyx_series_body = [&]() -> "+e.resultType(sig.Results(), series)+" {")
		e.indent++
		e.funcBody(series)
		e.indent--
		e.line(series.Body.Rbrace, "};")
		e.line(series.Body.Rbrace, "vyx::go::write_series(vyx_series_body(), vyx_plot);")
		e.indent--
		e.line(series.Body.Rbrace, "}")
	}
	head := []string{"// Generated by the Vyx Go front end from a platform trader body; do not edit."}
	headLines := [][3]int{{1, 1, 0}}
	text := append(append(head, e.structs...), e.out...)
	lines := append(append(headLines, e.slines...), e.lines...)
	return strings.Join(text, "\n") + "\n", lines
}

// borrowServedWindows: a function that never writes to a []float64 reads the
// host's shared indicator windows in place (float_writes.go).
func (e *emitter) borrowServedWindows(fn *ast.FuncDecl) {
	if !writesFloatSlices(fn.Body, e.info) {
		e.line(fn.Body.Lbrace, "vyx::sdk_detail::go_borrow_served_windows();")
	}
}

// marketData declares the function's data parameter: the Go MarketData built
// from the market with every timeframe the trader reads; or, when the
// function reads only data.Klines["..."], those windows alone.
func (e *emitter) marketData(fn *ast.FuncDecl, tfs []string) {
	at := fn.Body.Lbrace
	e.klinesData, e.klinesVars = nil, nil
	if readsOnlyKlines(fn, e.info) {
		if names := fn.Type.Params.List[0].Names; len(names) > 0 {
			e.klinesData = e.info.Defs[names[0]]
		}
		e.klinesVars = map[string]string{}
		for _, tf := range tfs {
			v := "vyx_klines_" + tf
			e.klinesVars[tf] = v
			e.line(at, fmt.Sprintf("vyx::go::slice<vyx::go::types::Kline> %s = vyx::go::market_builder::newest_klines(vyx_market.klines(%q));", v, tf))
		}
		return
	}
	e.line(at, "vyx::go::market_builder vyx_builder(vyx_market);")
	for _, tf := range tfs {
		e.line(at, fmt.Sprintf("vyx_builder.add(%q, vyx_market.klines(%q));", tf, tf))
	}
	e.line(at, "vyx::go::ptr<vyx::go::types::MarketData> "+e.defName(fn.Type.Params.List[0].Names[0])+" = vyx_builder.done();")
}

func (e *emitter) funcBody(fn *ast.FuncDecl) {
	sig := e.info.Defs[fn.Name].Type().(*types.Signature)
	e.results = append(e.results, sig.Results())
	e.named = append(e.named, nil)
	for _, s := range fn.Body.List {
		e.stmt(s)
	}
	e.results = e.results[:len(e.results)-1]
	e.named = e.named[:len(e.named)-1]
}

// refuseUnsupported reports constructs the emitter does not translate, all
// at once, before any C++ is written.
func (e *emitter) refuseUnsupported(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSwitchStmt:
			e.fail(n, "type switches are not supported in traders")
		case *ast.TypeAssertExpr:
			// x.(type) belongs to a type switch, refused above.
			if n.Type != nil && types.IsInterface(e.info.TypeOf(n.Type)) {
				e.fail(n, "type assertions to an interface type are not supported in traders; assert a concrete type such as float64")
			}
		case *ast.GoStmt, *ast.DeferStmt, *ast.SelectStmt, *ast.SendStmt:
			e.fail(n, "not allowed in traders")
		case *ast.CallExpr:
			switch name := builtinCalled(e.info, n); name {
			case "panic", "recover":
				e.t.at(n.Pos(), "go-no-panic", name+" is not allowed: return false (or a value) instead; a fault already ends the evaluation")
			case "close":
				e.t.at(n.Pos(), "go-no-channels", "close is a channel operation; traders have no channels")
			case "complex", "real", "imag":
				e.fail(n, "complex numbers are not supported; use float64")
			}
		case *ast.Ident:
			if obj, ok := e.info.Uses[n].(*types.PkgName); ok {
				if r := refusedPackages[obj.Imported().Path()]; r != "" {
					e.t.at(n.Pos(), r, "package "+obj.Imported().Path()+" is not available to traders")
				}
			}
		}
		return true
	})
	_ = sort.Strings
}
