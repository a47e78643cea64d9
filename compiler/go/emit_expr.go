// One emitter function per expression kind. Constant expressions are
// folded by go/types and written as literals of their final type; integer
// arithmetic goes through vyx::go helpers that wrap and fault as Go does.
// Long (one file over 400 lines) because Go has that many expression kinds;
// each function is short and the file reads as a table of them.
package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"
)

func (e *emitter) expr(x ast.Expr) string {
	tv := e.info.Types[x]
	if tv.Value != nil {
		return e.constant(tv.Value, tv.Type, x)
	}
	if tv.IsNil() {
		return "vyx::go::nil"
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return "(" + e.expr(x.X) + ")"
	case *ast.Ident:
		return e.ident(x)
	case *ast.BinaryExpr:
		return e.binary(x)
	case *ast.UnaryExpr:
		return e.unary(x)
	case *ast.StarExpr:
		return "(*" + e.expr(x.X) + ")"
	case *ast.CallExpr:
		return e.call(x)
	case *ast.SelectorExpr:
		return e.selector(x)
	case *ast.IndexExpr:
		return e.index(x)
	case *ast.SliceExpr:
		return e.sliceExpr(x)
	case *ast.CompositeLit:
		return e.composite(x, tv.Type)
	case *ast.FuncLit:
		return e.funcLit(x)
	case *ast.TypeAssertExpr:
		return "vyx::go::type_assert<" + e.ctype(e.info.TypeOf(x.Type), x) + ">(" + e.expr(x.X) + ")"
	}
	e.fail(x, fmt.Sprintf("this expression (%T) is not supported in traders", x))
	return "0"
}

func (e *emitter) ident(x *ast.Ident) string {
	obj := e.info.Uses[x]
	if obj == nil {
		obj = e.info.Defs[x]
	}
	switch obj := obj.(type) {
	case *types.Var:
		return e.name(obj)
	case *types.Const:
		return e.constant(obj.Val(), obj.Type(), x)
	case *types.Nil:
		return "vyx::go::nil"
	case *types.Func:
		return "vyx::go::" + obj.Pkg().Path() + "::" + obj.Name()
	}
	if x.Name == "true" || x.Name == "false" {
		return x.Name
	}
	e.fail(x, "this name ("+x.Name+") cannot be used as a value in traders")
	return "0"
}

// convertTo: x as a value of type t (untyped constants take t's type;
// assigning to an interface boxes the value).
func (e *emitter) convertTo(x ast.Expr, t types.Type) string {
	tv := e.info.Types[x]
	if t != nil && tv.Value != nil {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			return e.constant(tv.Value, t, x)
		}
	}
	if t != nil && tv.IsNil() {
		return e.ctype(t, x) + "{}"
	}
	if t != nil {
		if _, isFunc := t.Underlying().(*types.Signature); isFunc {
			if _, lit := unparen(x).(*ast.FuncLit); lit {
				return e.ctype(t, x) + "(" + e.expr(x) + ")"
			}
		}
	}
	return e.expr(x)
}

func (e *emitter) constant(v constant.Value, t types.Type, at ast.Node) string {
	if t == nil {
		t = types.Typ[types.UntypedInt]
	}
	ct := e.ctype(types.Default(t), at)
	under := types.Default(t).Underlying()
	b, ok := under.(*types.Basic)
	if !ok {
		if _, iface := under.(*types.Interface); iface {
			return e.constant(v, types.Default(defaultOf(v)), at)
		}
		e.fail(at, "this constant is not supported")
		return "0"
	}
	var lit string
	switch {
	case b.Info()&types.IsBoolean != 0:
		lit = strconv.FormatBool(constant.BoolVal(v))
		if ct == "bool" {
			return lit
		}
	case b.Info()&types.IsString != 0:
		lit = "vyx::go::string(" + cppString(constant.StringVal(v)) + ")"
		if ct == "vyx::go::string" {
			return lit
		}
	case b.Info()&types.IsInteger != 0:
		iv := constant.ToInt(v)
		if b.Info()&types.IsUnsigned != 0 {
			u, _ := constant.Uint64Val(iv)
			lit = strconv.FormatUint(u, 10) + "UL"
		} else {
			i, _ := constant.Int64Val(iv)
			if i == math.MinInt64 {
				lit = "(-9223372036854775807L - 1)"
			} else {
				lit = strconv.FormatInt(i, 10) + "L"
			}
		}
		if ct == "long" || ct == "unsigned long" {
			if strings.HasPrefix(lit, "-") {
				return "(" + lit + ")"
			}
			return lit
		}
	case b.Info()&types.IsFloat != 0:
		f, _ := constant.Float64Val(constant.ToFloat(v))
		if b.Kind() == types.Float32 {
			f32, _ := constant.Float32Val(constant.ToFloat(v))
			f = float64(f32)
		}
		lit = strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(lit, ".e") {
			lit += ".0"
		}
		if ct == "double" {
			if f < 0 || (f == 0 && math.Signbit(f)) {
				return "(" + lit + ")"
			}
			return lit
		}
	default:
		e.fail(at, "complex constants are not supported")
		return "0"
	}
	return "static_cast<" + ct + ">(" + lit + ")"
}

func defaultOf(v constant.Value) types.Type {
	switch v.Kind() {
	case constant.Bool:
		return types.Typ[types.UntypedBool]
	case constant.String:
		return types.Typ[types.UntypedString]
	case constant.Float:
		return types.Typ[types.UntypedFloat]
	}
	return types.Typ[types.UntypedInt]
}

// cppString: a C++ string literal with the exact bytes (octal escapes for
// anything but printable ASCII; "" "" split keeps escapes from running on).
func cppString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '?':
			b.WriteString(`\?`) // no trigraphs
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var intOps = map[token.Token]string{
	token.ADD: "add", token.SUB: "sub", token.MUL: "mul", token.QUO: "div", token.REM: "rem",
	token.SHL: "shl", token.SHR: "shr",
}

func (e *emitter) binary(x *ast.BinaryExpr) string {
	lt := e.info.TypeOf(x.X)
	rt := e.info.TypeOf(x.Y)
	switch x.Op {
	case token.LAND, token.LOR:
		return "(" + e.expr(x.X) + " " + x.Op.String() + " " + e.expr(x.Y) + ")"
	case token.SHL, token.SHR:
		return "vyx::go::" + intOps[x.Op] + "(" + e.convertTo(x.X, e.info.TypeOf(x)) + ", " + e.expr(x.Y) + ")"
	}
	// Operands of one type: an untyped constant side takes the other's type.
	ot := lt
	if b, ok := lt.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		ot = rt
	}
	l, r := e.convertTo(x.X, ot), e.convertTo(x.Y, ot)
	if e.info.Types[x.X].IsNil() || e.info.Types[x.Y].IsNil() {
		l, r = e.expr(x.X), e.expr(x.Y)
	}
	if e.isInteger(ot) {
		if op, ok := intOps[x.Op]; ok {
			return "vyx::go::" + op + "(" + l + ", " + r + ")"
		}
	}
	op := x.Op.String()
	if x.Op == token.AND_NOT {
		return "(" + l + " & ~" + r + ")"
	}
	return "(" + l + " " + op + " " + r + ")"
}

func (e *emitter) unary(x *ast.UnaryExpr) string {
	t := e.info.TypeOf(x)
	switch x.Op {
	case token.SUB:
		if e.isInteger(t) {
			return "vyx::go::neg(" + e.expr(x.X) + ")"
		}
		return "(-" + e.expr(x.X) + ")"
	case token.ADD:
		return "(+" + e.expr(x.X) + ")"
	case token.NOT:
		return "(!" + e.expr(x.X) + ")"
	case token.XOR:
		return "vyx::go::bit_not(" + e.expr(x.X) + ")"
	case token.AND:
		if cl, ok := unparen(x.X).(*ast.CompositeLit); ok {
			return "vyx::go::new_value(" + e.composite(cl, e.info.TypeOf(cl)) + ")"
		}
		return "vyx::go::address_of(" + e.lvalue(x.X) + ")"
	}
	e.fail(x, "the operator "+x.Op.String()+" is not supported in traders")
	return "0"
}

// lvalue: x as something assignable. A map element is created on write; a
// slice element is written through ref(), which lets a slice of the market's
// candles (a view of the host's columns) copy itself before its first write;
// a field of such an element is reached the same way.
func (e *emitter) lvalue(x ast.Expr) string {
	switch u := unparen(x).(type) {
	case *ast.IndexExpr:
		switch t := e.info.TypeOf(u.X).Underlying().(type) {
		case *types.Map:
			return e.expr(u.X) + ".ref(" + e.convertTo(u.Index, t.Key()) + ")"
		case *types.Slice:
			return e.expr(u.X) + ".ref(" + e.expr(u.Index) + ")"
		case *types.Array:
			return e.lvalue(u.X) + "[" + e.expr(u.Index) + "]"
		}
	case *ast.SelectorExpr:
		if sel, ok := e.info.Selections[u]; ok && sel.Kind() == types.FieldVal {
			if _, ptr := sel.Recv().Underlying().(*types.Pointer); !ptr {
				return e.fieldPath(e.lvalue(u.X), sel)
			}
		}
	}
	return e.expr(x)
}

func (e *emitter) index(x *ast.IndexExpr) string {
	if e.klinesVars != nil {
		if tf, ok := klinesKey(x, e.klinesData, e.info); ok {
			if v, ok := e.klinesVars[tf]; ok {
				return v
			}
			return "vyx::go::slice<vyx::go::types::Kline>()" // a key the map would not hold
		}
	}
	t := e.info.TypeOf(x.X).Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
		return "(*" + e.expr(x.X) + ")[" + e.expr(x.Index) + "]"
	}
	if m, ok := t.(*types.Map); ok {
		return e.expr(x.X) + ".get(" + e.convertTo(x.Index, m.Key()) + ")"
	}
	if _, ok := t.(*types.Signature); ok {
		e.fail(x, "generic functions are not supported in traders")
	}
	return e.expr(x.X) + "[" + e.expr(x.Index) + "]"
}

func (e *emitter) sliceExpr(x *ast.SliceExpr) string {
	base := e.expr(x.X)
	if _, ok := e.info.TypeOf(x.X).Underlying().(*types.Pointer); ok {
		base = "(*" + base + ")"
	}
	lo := "0L"
	if x.Low != nil {
		lo = e.expr(x.Low)
	}
	switch {
	case x.Slice3:
		return base + ".reslice3(" + lo + ", " + e.expr(x.High) + ", " + e.expr(x.Max) + ")"
	case x.High != nil:
		return base + ".reslice(" + lo + ", " + e.expr(x.High) + ")"
	}
	return base + ".reslice_from(" + lo + ")"
}

func (e *emitter) selector(x *ast.SelectorExpr) string {
	if sel, ok := e.info.Selections[x]; ok {
		switch sel.Kind() {
		case types.FieldVal:
			return e.fieldPath(e.expr(x.X), sel)
		case types.MethodVal:
			e.fail(x, "method values are not supported in traders; call the method")
			return "0"
		}
	}
	// A package-qualified name.
	if obj := e.info.Uses[x.Sel]; obj != nil {
		switch obj := obj.(type) {
		case *types.Const:
			return e.constant(obj.Val(), obj.Type(), x)
		case *types.Func:
			return "vyx::go::" + obj.Pkg().Path() + "::" + obj.Name()
		}
	}
	e.fail(x, "this selector is not supported in traders")
	return "0"
}

// fieldPath: recv.Field, with the embedded fields on the way spelled out.
func (e *emitter) fieldPath(recv string, sel *types.Selection) string {
	path := recv
	t := sel.Recv()
	for _, idx := range sel.Index() {
		f := derefStruct(t).Field(idx)
		if _, ptr := t.Underlying().(*types.Pointer); ptr {
			path += "->" + e.fieldName(f)
		} else {
			path += "." + e.fieldName(f)
		}
		t = f.Type()
	}
	return path
}

func derefStruct(t types.Type) *types.Struct {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return t.Underlying().(*types.Struct)
}

func (e *emitter) args(call *ast.CallExpr, sig *types.Signature) string {
	var out []string
	params := sig.Params()
	for i, a := range call.Args {
		var pt types.Type
		switch {
		case sig.Variadic() && i >= params.Len()-1 && !call.Ellipsis.IsValid():
			pt = params.At(params.Len() - 1).Type().(*types.Slice).Elem()
		case i < params.Len():
			pt = params.At(i).Type()
		}
		out = append(out, e.convertTo(a, pt))
	}
	return strings.Join(out, ", ")
}

func (e *emitter) call(x *ast.CallExpr) string {
	fun := unparen(x.Fun)
	ftv := e.info.Types[fun]
	if ftv.IsType() {
		return e.conversion(x, ftv.Type)
	}
	if name := builtinCalled(e.info, x); name != "" {
		return e.builtin(x, name)
	}
	sig, ok := ftv.Type.Underlying().(*types.Signature)
	if !ok {
		e.fail(x, "this call is not supported in traders")
		return "0"
	}
	if len(x.Args) == 1 && sig.Params().Len() > 1 {
		if _, multi := e.info.TypeOf(x.Args[0]).(*types.Tuple); multi {
			e.fail(x, "passing a multi-value call as arguments is not supported; assign the results first")
		}
	}
	if s, ok := fun.(*ast.SelectorExpr); ok {
		if sel, ok := e.info.Selections[s]; ok && sel.Kind() == types.MethodVal {
			named := namedOf(sel.Recv())
			recv := e.expr(s.X)
			if named != nil && named.Obj().Pkg() != nil {
				if _, isStruct := named.Underlying().(*types.Struct); !isStruct {
					// A method of a non-struct SDK type (time.Duration): a function.
					a := e.args(x, sig)
					if a != "" {
						a = ", " + a
					}
					return "vyx::go::" + named.Obj().Pkg().Path() + "::" + named.Obj().Name() + "_" + s.Sel.Name + "(" + recv + a + ")"
				}
			}
			arrow := "."
			if _, ptr := sel.Recv().Underlying().(*types.Pointer); ptr {
				arrow = "->"
			}
			return recv + arrow + s.Sel.Name + "(" + e.args(x, sig) + ")"
		}
	}
	callee := e.expr(fun)
	if x.Ellipsis.IsValid() {
		e.fail(x, "calls with '...' are supported only for append in traders")
	}
	return callee + "(" + e.args(x, sig) + ")"
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := t.(*types.Named)
	return n
}

func (e *emitter) conversion(x *ast.CallExpr, to types.Type) string {
	arg := x.Args[0]
	from := e.info.TypeOf(arg)
	ct := e.ctype(to, x)
	tu, fu := to.Underlying(), from.Underlying()
	tb, tbasic := tu.(*types.Basic)
	fb, fbasic := fu.(*types.Basic)
	switch {
	case tbasic && tb.Info()&types.IsString != 0 && fbasic && fb.Info()&types.IsInteger != 0:
		return "vyx::go::string_from_rune(" + e.expr(arg) + ")"
	case tbasic && tb.Info()&types.IsString != 0 && !fbasic:
		return "vyx::go::string_from_slice(" + e.expr(arg) + ")"
	case !tbasic && fbasic && fb.Info()&types.IsString != 0:
		return "vyx::go::slice_from_string<" + e.ctype(tu.(*types.Slice).Elem(), x) + ">(" + e.expr(arg) + ")"
	case tbasic && fbasic && tb.Info()&types.IsNumeric != 0:
		return "vyx::go::convert<" + ct + ">(" + e.expr(arg) + ")"
	}
	return "static_cast<" + ct + ">(" + e.expr(arg) + ")"
}

func (e *emitter) builtin(x *ast.CallExpr, name string) string {
	a := func(i int) string { return e.expr(x.Args[i]) }
	switch name {
	case "len", "cap":
		return "vyx::go::" + name + "(" + a(0) + ")"
	case "append":
		st := e.info.TypeOf(x).Underlying().(*types.Slice)
		if x.Ellipsis.IsValid() {
			if e.isString(e.info.TypeOf(x.Args[1])) {
				return "vyx::go::append_all(" + a(0) + ", vyx::go::slice_from_string<unsigned char>(" + a(1) + "))"
			}
			return "vyx::go::append_all(" + a(0) + ", " + a(1) + ")"
		}
		parts := []string{e.convertTo(x.Args[0], e.info.TypeOf(x))}
		for _, v := range x.Args[1:] {
			parts = append(parts, e.convertTo(v, st.Elem()))
		}
		return "vyx::go::append(" + strings.Join(parts, ", ") + ")"
	case "make":
		t := e.info.TypeOf(x)
		switch u := t.Underlying().(type) {
		case *types.Slice:
			n := "0L"
			if len(x.Args) > 1 {
				n = e.convertTo(x.Args[1], types.Typ[types.Int])
			}
			c := n
			if len(x.Args) > 2 {
				c = e.convertTo(x.Args[2], types.Typ[types.Int])
			}
			return "vyx::go::make_slice<" + e.ctype(u.Elem(), x) + ">(" + n + ", " + c + ")"
		case *types.Map:
			return e.ctype(t, x) + "::make()"
		}
	case "copy":
		if e.isString(e.info.TypeOf(x.Args[1])) {
			return "vyx::go::copy(" + a(0) + ", vyx::go::slice_from_string<unsigned char>(" + a(1) + "))"
		}
		return "vyx::go::copy(" + a(0) + ", " + a(1) + ")"
	case "delete":
		m := e.info.TypeOf(x.Args[0]).Underlying().(*types.Map)
		return a(0) + ".erase(" + e.convertTo(x.Args[1], m.Key()) + ")"
	case "new":
		return "vyx::go::new_value(" + e.ctype(e.info.TypeOf(x.Args[0]), x) + "{})"
	case "print", "println":
		var parts []string
		for i := range x.Args {
			parts = append(parts, a(i))
		}
		return "vyx::go::discard(" + strings.Join(parts, ", ") + ")"
	}
	e.fail(x, "the builtin "+name+" is not supported in traders")
	return "0"
}

// composite: struct, slice, array and map literals, always with their type
// spelled out (Go lets inner literals omit it).
func (e *emitter) composite(x *ast.CompositeLit, t types.Type) string {
	ct := e.ctype(t, x)
	switch u := t.Underlying().(type) {
	case *types.Struct:
		if len(x.Elts) == 0 {
			return ct + "{}"
		}
		if _, keyed := x.Elts[0].(*ast.KeyValueExpr); !keyed {
			var parts []string
			for i, el := range x.Elts {
				parts = append(parts, e.convertTo(el, u.Field(i).Type()))
			}
			return ct + "{" + strings.Join(parts, ", ") + "}"
		}
		// Keyed: designated initialisers, in declaration order.
		vals := map[string]ast.Expr{}
		for _, el := range x.Elts {
			kv := el.(*ast.KeyValueExpr)
			vals[kv.Key.(*ast.Ident).Name] = kv.Value
		}
		var parts []string
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if v, ok := vals[f.Name()]; ok {
				parts = append(parts, "."+e.fieldName(f)+" = "+e.convertTo(v, f.Type()))
			}
		}
		return ct + "{" + strings.Join(parts, ", ") + "}"
	case *types.Slice, *types.Array:
		var elem types.Type
		if s, ok := u.(*types.Slice); ok {
			elem = s.Elem()
		} else {
			elem = u.(*types.Array).Elem()
		}
		var parts []string
		for _, el := range x.Elts {
			if _, keyed := el.(*ast.KeyValueExpr); keyed {
				e.fail(el, "indexed slice and array literals are not supported in traders")
				return "0"
			}
			parts = append(parts, e.elem(el, elem))
		}
		if _, isSlice := u.(*types.Slice); isSlice {
			if len(parts) == 0 {
				return "vyx::go::make_slice<" + e.ctype(elem, x) + ">(0L, 0L)"
			}
			return "vyx::go::slice_of<" + e.ctype(elem, x) + ">({" + strings.Join(parts, ", ") + "})"
		}
		return ct + "{{" + strings.Join(parts, ", ") + "}}"
	case *types.Map:
		var parts []string
		for _, el := range x.Elts {
			kv := el.(*ast.KeyValueExpr)
			parts = append(parts, "{"+e.elem(kv.Key, u.Key())+", "+e.elem(kv.Value, u.Elem())+"}")
		}
		if len(parts) == 0 {
			return ct + "::make()"
		}
		return ct + "::of({" + strings.Join(parts, ", ") + "})"
	}
	e.fail(x, "this literal is not supported in traders")
	return "0"
}

// elem: an element of a composite literal, whose own literal may omit its type.
func (e *emitter) elem(x ast.Expr, t types.Type) string {
	if cl, ok := x.(*ast.CompositeLit); ok && cl.Type == nil {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			return "vyx::go::new_value(" + e.composite(cl, p.Elem()) + ")"
		}
		return e.composite(cl, t)
	}
	return e.convertTo(x, t)
}

// funcLit: a closure capturing by reference (Go closures share variables).
func (e *emitter) funcLit(x *ast.FuncLit) string {
	sig := e.info.TypeOf(x).(*types.Signature)
	var params []string
	for _, f := range x.Type.Params.List {
		for _, id := range f.Names {
			obj := e.info.Defs[id]
			n := e.name(obj)
			if id.Name == "_" {
				n = ""
			}
			params = append(params, e.ctype(obj.Type(), id)+" "+n)
		}
		if len(f.Names) == 0 {
			params = append(params, e.ctype(e.info.TypeOf(f.Type), f))
		}
	}
	save, saveLines, saveIndent := e.out, e.lines, e.indent
	e.out, e.lines = nil, nil
	e.indent = saveIndent + 1
	var named []string
	if x.Type.Results != nil {
		for _, f := range x.Type.Results.List {
			for _, id := range f.Names {
				obj := e.info.Defs[id]
				n := e.name(obj)
				named = append(named, n)
				e.line(id.Pos(), e.ctype(obj.Type(), id)+" "+n+"{};")
			}
		}
	}
	e.results = append(e.results, sig.Results())
	e.named = append(e.named, named)
	saveJumps := e.jumps
	e.jumps = nil
	for _, s := range x.Body.List {
		e.stmt(s)
	}
	e.jumps = saveJumps
	e.results = e.results[:len(e.results)-1]
	e.named = e.named[:len(e.named)-1]
	inner, innerLines := e.out, e.lines
	e.out, e.lines, e.indent = save, saveLines, saveIndent
	// The lambda's text spans several lines: the caller's statement line gets
	// the head, the body lines are spliced in after it.
	e.pendingLambda = append(e.pendingLambda, lambdaBody{inner, innerLines, e.indent})
	return fmt.Sprintf("[&](%s) -> %s {\x00%d\x00}", strings.Join(params, ", "), e.resultType(sig.Results(), x), len(e.pendingLambda)-1)
}
