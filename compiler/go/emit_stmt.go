// One emitter function per statement kind. Go's for/switch map one to one
// onto C++ for/switch, so unlabeled break/continue mean the same; a labeled
// jump past inner statements sets a flag that each level re-checks.
// Long (one file over 400 lines) because Go has that many statement kinds;
// each function is short and the file reads as a table of them.
package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

type breakable struct {
	label   string
	isLoop  bool
	pending map[string]bool // outer labels jumped to from inside
}

func (e *emitter) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.BlockStmt:
		e.line(s.Lbrace, "{")
		e.indent++
		for _, x := range s.List {
			e.stmt(x)
		}
		e.indent--
		e.line(s.Rbrace, "}")
	case *ast.ExprStmt:
		e.line(s.Pos(), "(void)("+e.expr(s.X)+");")
	case *ast.EmptyStmt:
	case *ast.AssignStmt:
		e.assign(s)
	case *ast.IncDecStmt:
		e.line(s.Pos(), e.incDec(s)+";")
	case *ast.DeclStmt:
		e.declStmt(s.Decl.(*ast.GenDecl))
	case *ast.ReturnStmt:
		e.returnStmt(s)
	case *ast.IfStmt:
		e.ifStmt(s, false)
	case *ast.ForStmt:
		e.forStmt(s, "")
	case *ast.RangeStmt:
		e.rangeStmt(s, "")
	case *ast.SwitchStmt:
		e.switchStmt(s, "")
	case *ast.LabeledStmt:
		e.labeled(s)
	case *ast.BranchStmt:
		e.branch(s)
	default:
		e.fail(s, fmt.Sprintf("this statement (%T) is not supported in traders", s))
	}
}

func (e *emitter) declStmt(d *ast.GenDecl) {
	switch d.Tok {
	case token.CONST:
		// Constants are folded into every use (go/types gives their exact values).
	case token.TYPE:
		for _, sp := range d.Specs {
			ts := sp.(*ast.TypeSpec)
			obj := e.info.Defs[ts.Name]
			under := obj.Type().Underlying()
			name := e.name(obj)
			if st, ok := under.(*types.Struct); ok {
				e.line(ts.Pos(), "struct "+name+" {")
				e.indent++
				for i := 0; i < st.NumFields(); i++ {
					f := st.Field(i)
					e.line(ts.Pos(), e.ctype(f.Type(), ts)+" "+e.fieldName(f)+"{};")
				}
				e.line(ts.Pos(), e.structOps(name, st))
				e.indent--
				e.line(ts.Pos(), "};")
			} else {
				e.line(ts.Pos(), "using "+name+" = "+e.ctype(under, ts)+";")
			}
		}
	case token.VAR:
		for _, sp := range d.Specs {
			vs := sp.(*ast.ValueSpec)
			if len(vs.Values) == 0 {
				for _, id := range vs.Names {
					if id.Name == "_" {
						continue
					}
					obj := e.info.Defs[id]
					e.line(id.Pos(), e.ctype(obj.Type(), id)+" "+e.name(obj)+"{};")
				}
				continue
			}
			lhs := make([]ast.Expr, len(vs.Names))
			for i, id := range vs.Names {
				lhs[i] = id
			}
			e.assignList(vs.Pos(), lhs, vs.Values, true)
		}
	}
}

func (e *emitter) isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func (e *emitter) isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func (e *emitter) incDec(s *ast.IncDecStmt) string {
	lv := e.lvalue(s.X)
	t := e.info.TypeOf(s.X)
	if e.isInteger(t) {
		if s.Tok == token.INC {
			return "vyx::go::add_to(" + lv + ", 1)"
		}
		return "vyx::go::sub_from(" + lv + ", 1)"
	}
	if s.Tok == token.INC {
		return lv + " += 1"
	}
	return lv + " -= 1"
}

var opAssign = map[token.Token]string{
	token.ADD_ASSIGN: "add_to", token.SUB_ASSIGN: "sub_from", token.MUL_ASSIGN: "mul_by",
	token.QUO_ASSIGN: "div_by", token.REM_ASSIGN: "rem_by", token.SHL_ASSIGN: "shl_by",
	token.SHR_ASSIGN: "shr_by", token.AND_ASSIGN: "and_by", token.OR_ASSIGN: "or_by",
	token.XOR_ASSIGN: "xor_by", token.AND_NOT_ASSIGN: "and_not_by",
}

// assignExpr: a single assignment as a C++ expression (for a loop's post).
func (e *emitter) assignExpr(s *ast.AssignStmt) (string, bool) {
	if len(s.Lhs) != 1 || len(s.Rhs) != 1 || s.Tok == token.DEFINE {
		return "", false
	}
	if s.Tok == token.ASSIGN {
		if isBlank(s.Lhs[0]) {
			return "(void)(" + e.expr(s.Rhs[0]) + ")", true
		}
		return e.lvalue(s.Lhs[0]) + " = " + e.convertTo(s.Rhs[0], e.info.TypeOf(s.Lhs[0])), true
	}
	t := e.info.TypeOf(s.Lhs[0])
	rhs := e.convertTo(s.Rhs[0], t)
	if s.Tok == token.SHL_ASSIGN || s.Tok == token.SHR_ASSIGN {
		rhs = e.expr(s.Rhs[0])
	}
	return "vyx::go::" + opAssign[s.Tok] + "(" + e.lvalue(s.Lhs[0]) + ", " + rhs + ")", true
}

func isBlank(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == "_"
}

func (e *emitter) assign(s *ast.AssignStmt) {
	if x, ok := e.assignExpr(s); ok {
		e.line(s.Pos(), x+";")
		return
	}
	e.assignList(s.Pos(), s.Lhs, s.Rhs, s.Tok == token.DEFINE)
}

// assignList: :=, var x = ..., and (parallel) =. Values are computed into
// temporaries first when there is more than one, as Go assigns in parallel.
func (e *emitter) assignList(pos token.Pos, lhs, rhs []ast.Expr, define bool) {
	store := func(l ast.Expr, value string, t types.Type) {
		if isBlank(l) {
			e.line(pos, "(void)("+value+");")
			return
		}
		if id, ok := l.(*ast.Ident); ok && define {
			if obj := e.info.Defs[id]; obj != nil {
				e.line(pos, e.ctype(obj.Type(), id)+" "+e.name(obj)+" = "+value+";")
				return
			}
		}
		e.line(pos, e.lvalue(l)+" = "+value+";")
	}
	if len(rhs) == 1 && len(lhs) > 1 {
		// A call with several results, v, ok := m[k], or a conversion of those.
		tmp := e.newTemp("t")
		r := unparen(rhs[0])
		var value string
		if ix, ok := r.(*ast.IndexExpr); ok {
			value = e.expr(ix.X) + ".lookup(" + e.convertTo(ix.Index, e.info.TypeOf(ix.X).Underlying().(*types.Map).Key()) + ")"
		} else if ta, ok := r.(*ast.TypeAssertExpr); ok {
			value = "vyx::go::type_assert_ok<" + e.ctype(e.info.TypeOf(ta.Type), ta) + ">(" + e.expr(ta.X) + ")"
		} else {
			value = e.expr(r)
		}
		e.line(pos, "auto "+tmp+" = "+value+";")
		for i, l := range lhs {
			store(l, fmt.Sprintf("vyx::go::get<%d>(%s)", i, tmp), nil)
		}
		return
	}
	if len(lhs) == 1 {
		var t types.Type
		if !isBlank(lhs[0]) {
			t = e.info.TypeOf(lhs[0])
		}
		store(lhs[0], e.convertTo(rhs[0], t), t)
		return
	}
	temps := make([]string, len(rhs))
	for i, r := range rhs {
		var t types.Type
		if !isBlank(lhs[i]) {
			t = e.info.TypeOf(lhs[i])
		}
		temps[i] = e.newTemp("t")
		ct := "auto"
		if t != nil {
			ct = e.ctype(t, r)
		}
		e.line(pos, ct+" "+temps[i]+" = "+e.convertTo(r, t)+";")
	}
	for i, l := range lhs {
		store(l, temps[i], nil)
	}
}

func (e *emitter) returnStmt(s *ast.ReturnStmt) {
	res := e.results[len(e.results)-1]
	named := e.named[len(e.named)-1]
	if len(s.Results) == 0 {
		switch {
		case res.Len() == 0:
			e.line(s.Pos(), "return;")
		case res.Len() == 1:
			e.line(s.Pos(), "return "+named[0]+";")
		default:
			e.line(s.Pos(), "return "+e.resultType(res, s)+"{"+strings.Join(named, ", ")+"};")
		}
		return
	}
	if res.Len() > 1 && len(s.Results) == 1 {
		e.line(s.Pos(), "return "+e.expr(s.Results[0])+";")
		return
	}
	var vals []string
	for i, r := range s.Results {
		vals = append(vals, e.convertTo(r, res.At(i).Type()))
	}
	if len(vals) == 1 {
		e.line(s.Pos(), "return "+vals[0]+";")
		return
	}
	e.line(s.Pos(), "return "+e.resultType(res, s)+"{"+strings.Join(vals, ", ")+"};")
}

// simpleInit emits an if/for/switch init statement into the open block.
func (e *emitter) simpleInit(s ast.Stmt) {
	if s != nil {
		e.stmt(s)
	}
}

func (e *emitter) ifStmt(s *ast.IfStmt, isElse bool) {
	open := "if ("
	if isElse {
		open = "} else if ("
	}
	if s.Init != nil {
		if isElse {
			e.line(s.Pos(), "} else {")
			e.indent++
		}
		e.line(s.Pos(), "{")
		e.indent++
		e.simpleInit(s.Init)
		open = "if ("
	}
	e.line(s.Pos(), open+e.expr(s.Cond)+") {")
	e.block(s.Body)
	switch el := s.Else.(type) {
	case nil:
		e.line(s.Body.Rbrace, "}")
	case *ast.IfStmt:
		if s.Init != nil {
			e.line(el.Pos(), "} else {")
			e.indent++
			e.ifStmt(el, false)
			e.indent--
			e.line(el.End(), "}")
		} else {
			e.ifStmt(el, true)
		}
	case *ast.BlockStmt:
		e.line(el.Lbrace, "} else {")
		e.block(el)
		e.line(el.Rbrace, "}")
	}
	if s.Init != nil {
		e.indent--
		e.line(s.End(), "}")
		if isElse {
			e.indent--
			e.line(s.End(), "}")
		}
	}
}

// block emits the statements of b one level deeper (braces are the caller's).
func (e *emitter) block(b *ast.BlockStmt) {
	e.indent++
	for _, x := range b.List {
		e.stmt(x)
	}
	e.indent--
}

func (e *emitter) push(label string, isLoop bool) *breakable {
	b := &breakable{label: label, isLoop: isLoop, pending: map[string]bool{}}
	e.jumps = append(e.jumps, b)
	return b
}

// pop closes a breakable statement and re-checks the flags of labeled jumps
// that left it towards an outer statement.
func (e *emitter) pop(pos token.Pos) {
	b := e.jumps[len(e.jumps)-1]
	e.jumps = e.jumps[:len(e.jumps)-1]
	if len(b.pending) == 0 || len(e.jumps) == 0 {
		return
	}
	parent := e.jumps[len(e.jumps)-1]
	for l := range b.pending {
		if parent.label == l {
			e.line(pos, "if (vyx_brk_"+l+") break;")
			if parent.isLoop {
				e.line(pos, "if (vyx_cont_"+l+") { vyx_cont_"+l+" = false; continue; }")
			}
		} else {
			e.line(pos, "if (vyx_brk_"+l+" || vyx_cont_"+l+") break;")
			parent.pending[l] = true
		}
	}
}

func (e *emitter) labeled(s *ast.LabeledStmt) {
	l := s.Label.Name
	e.line(s.Pos(), "[[maybe_unused]] bool vyx_brk_"+l+" = false;")
	e.line(s.Pos(), "[[maybe_unused]] bool vyx_cont_"+l+" = false;")
	switch x := s.Stmt.(type) {
	case *ast.ForStmt:
		e.forStmt(x, l)
	case *ast.RangeStmt:
		e.rangeStmt(x, l)
	case *ast.SwitchStmt:
		e.switchStmt(x, l)
	default:
		e.stmt(x)
	}
}

func (e *emitter) branch(s *ast.BranchStmt) {
	switch s.Tok {
	case token.FALLTHROUGH:
		return // handled by the switch
	case token.GOTO:
		e.t.at(s.Pos(), "go-no-goto", "'goto' is not allowed")
		return
	}
	if s.Label == nil {
		if s.Tok == token.BREAK {
			e.line(s.Pos(), "break;")
		} else {
			e.line(s.Pos(), "continue;")
		}
		return
	}
	l := s.Label.Name
	inner := e.jumps[len(e.jumps)-1]
	if s.Tok == token.BREAK && inner.label == l {
		e.line(s.Pos(), "break;")
		return
	}
	if s.Tok == token.CONTINUE {
		// continue goes to the innermost loop in C++ too (switches are transparent).
		for i := len(e.jumps) - 1; i >= 0; i-- {
			if e.jumps[i].isLoop {
				if e.jumps[i].label == l {
					e.line(s.Pos(), "continue;")
					return
				}
				break
			}
		}
		e.line(s.Pos(), "vyx_cont_"+l+" = true;")
	} else {
		e.line(s.Pos(), "vyx_brk_"+l+" = true;")
	}
	e.line(s.Pos(), "break;")
	inner.pending[l] = true
}

func (e *emitter) postExpr(s ast.Stmt) string {
	switch s := s.(type) {
	case nil:
		return ""
	case *ast.IncDecStmt:
		return e.incDec(s)
	case *ast.AssignStmt:
		if x, ok := e.assignExpr(s); ok {
			return x
		}
	}
	// Anything else (a parallel assignment) runs as a lambda called in place.
	save, saveLines, saveIndent := e.out, e.lines, e.indent
	e.out, e.lines, e.indent = nil, nil, 0
	e.stmt(s)
	body := strings.Join(trimAll(e.out), " ")
	e.out, e.lines, e.indent = save, saveLines, saveIndent
	return "[&] { " + body + " }()"
}

func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

func (e *emitter) forStmt(s *ast.ForStmt, label string) {
	if s.Init != nil {
		e.line(s.Pos(), "{")
		e.indent++
		e.simpleInit(s.Init)
	}
	cond := ""
	if s.Cond != nil {
		cond = e.expr(s.Cond)
	}
	e.line(s.Pos(), "for (; "+cond+"; "+e.postExpr(s.Post)+") {")
	e.push(label, true)
	e.block(s.Body)
	e.line(s.Body.Rbrace, "}")
	e.pop(s.Body.Rbrace)
	if s.Init != nil {
		e.indent--
		e.line(s.End(), "}")
	}
}

// rangeStmt: the range expression is evaluated once; the iteration
// variables are declared once before the loop (Go 1.19 semantics, as Yaegi).
func (e *emitter) rangeStmt(s *ast.RangeStmt, label string) {
	xt := e.info.TypeOf(s.X)
	under := xt.Underlying()
	if p, ok := under.(*types.Pointer); ok {
		under = p.Elem().Underlying()
	}
	e.line(s.Pos(), "{")
	e.indent++
	r := e.newTemp("range")
	i := e.newTemp("i")
	e.line(s.X.Pos(), "auto "+r+" = "+e.expr(s.X)+";")
	declare := func(x ast.Expr, t types.Type) {
		if x == nil || isBlank(x) || s.Tok != token.DEFINE {
			return
		}
		id := x.(*ast.Ident)
		obj := e.info.Defs[id]
		e.line(id.Pos(), e.ctype(obj.Type(), id)+" "+e.name(obj)+"{};")
	}
	set := func(x ast.Expr, value string) {
		if x == nil || isBlank(x) {
			return
		}
		e.line(x.Pos(), e.lvalue(x)+" = "+value+";")
	}
	declare(s.Key, nil)
	declare(s.Value, nil)
	switch u := under.(type) {
	case *types.Slice, *types.Array:
		_ = u
		n := e.newTemp("n")
		e.line(s.Pos(), "const long "+n+" = vyx::go::len("+r+");")
		e.line(s.Pos(), "for (long "+i+" = 0; "+i+" < "+n+"; ++"+i+") {")
		e.indent++
		set(s.Key, i)
		set(s.Value, r+"["+i+"]")
		e.indent--
	case *types.Map:
		e.line(s.Pos(), "for (long "+i+" = 0; "+i+" < "+r+".slots(); ++"+i+") {")
		e.indent++
		e.line(s.Pos(), "if (!"+r+".live("+i+")) continue;")
		set(s.Key, r+".key_at("+i+")")
		set(s.Value, r+".value_at("+i+")")
		e.indent--
	case *types.Basic:
		next := e.newTemp("next")
		e.line(s.Pos(), "for (long "+i+" = 0, "+next+" = 0; "+i+" < "+r+".len(); "+i+" = "+next+") {")
		e.indent++
		d := e.newTemp("rune")
		e.line(s.Pos(), "const vyx::go::decoded_rune "+d+" = vyx::go::decode_rune("+r+", "+i+");")
		e.line(s.Pos(), next+" = "+i+" + "+d+".size;")
		set(s.Key, i)
		set(s.Value, d+".value")
		e.indent--
	default:
		e.fail(s.X, fmt.Sprintf("range over %s is not supported in traders", xt))
		return
	}
	e.push(label, true)
	e.block(s.Body)
	e.line(s.Body.Rbrace, "}")
	e.pop(s.Body.Rbrace)
	e.indent--
	e.line(s.End(), "}")
}

// switchStmt: the cases are tested in order (each expression evaluated only
// until one matches, default last) to pick a clause index; a C++ switch on
// the index runs the clause, so break and fallthrough keep their meaning.
func (e *emitter) switchStmt(s *ast.SwitchStmt, label string) {
	e.line(s.Pos(), "{")
	e.indent++
	e.simpleInit(s.Init)
	tag := ""
	var tagType types.Type
	if s.Tag != nil {
		tagType = e.info.TypeOf(s.Tag)
		tag = e.newTemp("tag")
		e.line(s.Tag.Pos(), e.ctype(tagType, s.Tag)+" "+tag+" = "+e.expr(s.Tag)+";")
	}
	pick := e.newTemp("case")
	e.line(s.Pos(), "int "+pick+" = -1;")
	def := -1
	first := true
	for k, c := range s.Body.List {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			def = k
			continue
		}
		var tests []string
		for _, x := range cc.List {
			if tag != "" {
				tests = append(tests, "("+tag+" == "+e.convertTo(x, tagType)+")")
			} else {
				tests = append(tests, "("+e.expr(x)+")")
			}
		}
		kw := "if ("
		if !first {
			kw = "else if ("
		}
		first = false
		e.line(cc.Pos(), fmt.Sprintf("%s%s) %s = %d;", kw, strings.Join(tests, " || "), pick, k))
	}
	if def >= 0 {
		if first {
			e.line(s.Pos(), fmt.Sprintf("%s = %d;", pick, def))
		} else {
			e.line(s.Pos(), fmt.Sprintf("else %s = %d;", pick, def))
		}
	}
	e.line(s.Pos(), "switch ("+pick+") {")
	e.push(label, false)
	for k, c := range s.Body.List {
		cc := c.(*ast.CaseClause)
		e.line(cc.Pos(), fmt.Sprintf("case %d: {", k))
		e.indent++
		body := cc.Body
		fall := false
		if n := len(body); n > 0 {
			if b, ok := body[n-1].(*ast.BranchStmt); ok && b.Tok == token.FALLTHROUGH {
				fall = true
				body = body[:n-1]
			}
		}
		for _, x := range body {
			e.stmt(x)
		}
		e.indent--
		if fall {
			e.line(cc.Pos(), "}")
			e.line(cc.Pos(), "[[fallthrough]];")
		} else {
			e.line(cc.Pos(), "} break;")
		}
	}
	e.line(s.Body.Rbrace, "default: break;")
	e.line(s.Body.Rbrace, "}")
	e.pop(s.Body.Rbrace)
	e.indent--
	e.line(s.End(), "}")
}
