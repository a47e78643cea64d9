// The fake importer: every package a body may see is type-checked from its
// declarations in packages.go, once per run.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
)

type fakeImporter struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
}

// One importer per process: the built-in packages are checked once and then
// only read, so every translation after the first reuses them.
var sharedImporter = &fakeImporter{fset: token.NewFileSet(), pkgs: map[string]*types.Package{}}

func newFakeImporter() *fakeImporter {
	return sharedImporter
}

func (f *fakeImporter) Import(path string) (*types.Package, error) {
	if p, ok := f.pkgs[path]; ok {
		return p, nil
	}
	src, ok := fakePackages[path]
	if !ok {
		return nil, fmt.Errorf("package %s is not available to traders", path)
	}
	file, err := parser.ParseFile(f.fset, path+".go", src, 0)
	if err != nil {
		panic(fmt.Sprintf("built-in package %s: %v", path, err))
	}
	conf := types.Config{Importer: f, IgnoreFuncBodies: true}
	p, err := conf.Check(path, f.fset, []*ast.File{file}, nil)
	if err != nil {
		panic(fmt.Sprintf("built-in package %s: %v", path, err))
	}
	f.pkgs[path] = p
	return p, nil
}
