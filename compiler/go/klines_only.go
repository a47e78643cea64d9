// Whether a function reads its MarketData only as data.Klines["<constant>"]:
// then it gets each timeframe's window as a local and no MarketData is built.
// Building one (its Klines map, symbol, ticker and time, on the heap) cost
// about 40 ns of every evaluation, as much as a simple trader's own work
// (BENCHMARKS.md, "No MarketData where only windows are read"). Any other
// use of data, or data reached from the left of an assignment, ++/--, & or a
// range clause's variables, keeps the MarketData: through the map, Go's sharing of
// a written window is exactly the platform's, so every doubt builds it; so
// does the comma-ok form, which asks the map.
package main

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// klinesKey: the constant timeframe of x when x is data.Klines["..."] with
// data the object given.
func klinesKey(x *ast.IndexExpr, data types.Object, info *types.Info) (string, bool) {
	s, ok := unparen(x.X).(*ast.SelectorExpr)
	if !ok || s.Sel.Name != "Klines" {
		return "", false
	}
	id, ok := unparen(s.X).(*ast.Ident)
	if !ok || data == nil || info.Uses[id] != data {
		return "", false
	}
	tv := info.Types[x.Index]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// readsOnlyKlines reports whether fn uses its data parameter only as
// data.Klines["<constant>"], never where it could be written through.
func readsOnlyKlines(fn *ast.FuncDecl, info *types.Info) bool {
	params := fn.Type.Params.List
	if len(params) == 0 || len(params[0].Names) == 0 {
		return true
	}
	data := info.Defs[params[0].Names[0]]
	if data == nil {
		return true // "_": nothing can read it
	}
	uses := func(xs ...ast.Expr) bool {
		found := false
		for _, x := range xs {
			if x == nil {
				continue
			}
			ast.Inspect(x, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && info.Uses[id] == data {
					found = true
				}
				return !found
			})
		}
		return found
	}
	reads := map[*ast.Ident]bool{} // data in data.Klines["..."]
	only := true
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IndexExpr:
			if _, ok := klinesKey(n, data, info); ok {
				reads[unparen(unparen(n.X).(*ast.SelectorExpr).X).(*ast.Ident)] = true
			}
		case *ast.AssignStmt:
			// v, ok := data.Klines["5m"] asks the map itself.
			only = only && !uses(n.Lhs...) && !(len(n.Lhs) > 1 && len(n.Rhs) == 1 && uses(n.Rhs[0]))
		case *ast.ValueSpec:
			only = only && !(len(n.Names) > 1 && len(n.Values) == 1 && uses(n.Values[0]))
		case *ast.IncDecStmt:
			only = only && !uses(n.X)
		case *ast.UnaryExpr:
			only = only && !(n.Op == token.AND && uses(n.X))
		case *ast.RangeStmt:
			only = only && !uses(n.Key, n.Value)
		case *ast.Ident:
			only = only && (info.Uses[n] != data || reads[n])
		}
		return only
	})
	return only
}
