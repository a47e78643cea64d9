// Whether a body may write to the elements of a []float64: when it cannot,
// the SDK hands it the host's shared indicator windows in place instead of
// copying them (vyx::go::borrow_served_windows, abi/include/vyx/sdk/go/
// indicators.hpp). A write that this misses would change the values every
// other trader of the symbol reads, so every doubt counts as a write.
package main

import (
	"go/ast"
	"go/token"
	"go/types"
)

// isFloats: x is a []float64 (or its type is unknown).
func isFloats(info *types.Info, x ast.Expr) bool {
	t := info.TypeOf(x)
	if t == nil {
		return true
	}
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Float64
}

// isFloatElement: x is s[i] of a []float64 s.
func isFloatElement(info *types.Info, x ast.Expr) bool {
	if x == nil {
		return false
	}
	ix, ok := unparen(x).(*ast.IndexExpr)
	return ok && isFloats(info, ix.X)
}

// writesFloatSlices reports whether body may write an element of a
// []float64: an assignment, ++ or -- to one, its address taken, copy() into
// one, any use of package sort (sort.Slice takes its slice as an interface),
// or append() to one where the body also reslices one (a reslice of a
// served window has room after it, and append would write there; a served
// window itself is full, so append copies it).
func writesFloatSlices(body *ast.BlockStmt, info *types.Info) bool {
	writes, appends, reslices := false, false, false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				writes = writes || isFloatElement(info, l)
			}
		case *ast.IncDecStmt:
			writes = writes || isFloatElement(info, n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				writes = writes || isFloatElement(info, n.Key) || isFloatElement(info, n.Value)
			}
		case *ast.UnaryExpr:
			writes = writes || (n.Op == token.AND && isFloatElement(info, n.X))
		case *ast.SliceExpr:
			reslices = reslices || isFloats(info, n.X)
		case *ast.Ident:
			if p, ok := info.Uses[n].(*types.PkgName); ok && p.Imported().Path() == "sort" {
				writes = true
			}
		case *ast.CallExpr:
			if len(n.Args) > 0 && isFloats(info, n.Args[0]) {
				switch builtinCalled(info, n) {
				case "copy":
					writes = true
				case "append":
					appends = true
				}
			}
		}
		return true
	})
	return writes || (appends && reslices)
}
