// Package golit writes Go values as Go source: the generated files that
// hold lib/rules.toml and modules/catalog.toml as Go values (go generate),
// so the axios command decodes no TOML for them when it starts.
package golit

import (
	"fmt"
	"go/format"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// File returns a formatted Go file of package pkg that declares each
// variable of vars (name → value) as a literal, in name order. header is
// written first as a comment (the "Code generated … DO NOT EDIT." line
// included). Values may hold bools, strings, ints, floats, pointers,
// slices, string-keyed maps, structs with exported fields and interfaces
// holding these; anything else is an error. A pointer to anything but a
// struct points at a variable of its own, declared after the others
// (golitValueN), so every value is constant data the linker lays out:
// nothing of it runs when the program starts, except building maps.
func File(pkg, header string, vars map[string]any) ([]byte, error) {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		b.WriteString("// " + line + "\n")
	}
	fmt.Fprintf(&b, "\npackage %s\n\n", pkg)
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	sort.Strings(names)
	w := &writer{pkg: pkg, b: &b}
	for _, n := range names {
		fmt.Fprintf(&b, "var %s = ", n)
		if err := w.value(reflect.ValueOf(vars[n]), false); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		b.WriteString("\n\n")
	}
	for i, decl := range w.pointees {
		fmt.Fprintf(&b, "var golitValue%d %s\n", i, decl)
	}
	return format.Source([]byte(b.String()))
}

type writer struct {
	pkg      string
	b        *strings.Builder
	pointees []string // type and value of each golitValueN
}

// typeName is t as written inside package w.pkg.
func (w *writer) typeName(t reflect.Type) string {
	s := strings.ReplaceAll(t.String(), "interface {}", "any")
	return strings.ReplaceAll(s, w.pkg+".", "")
}

// value writes v; typed says the context already gives v's type (an
// element of a slice or map of a concrete type), so a constant needs no
// conversion.
func (w *writer) value(v reflect.Value, typed bool) error {
	b := w.b
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		return w.value(v.Elem(), false)
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.String:
		if !typed && v.Type() != reflect.TypeOf("") {
			return fmt.Errorf("named string type %s in an interface", v.Type())
		}
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.conv(v.Type(), typed, strconv.FormatInt(v.Int(), 10), v.Kind() == reflect.Int)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		w.conv(v.Type(), typed, strconv.FormatUint(v.Uint(), 10), false)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("cannot write %v", f)
		}
		w.conv(v.Type(), typed, strconv.FormatFloat(f, 'g', -1, 64), false)
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if v.Elem().Kind() == reflect.Struct {
			b.WriteString("&")
			return w.value(v.Elem(), false)
		}
		// The pointee is written into a builder of its own: it becomes
		// `var golitValueN T = value`.
		outer := w.b
		var decl strings.Builder
		w.b = &decl
		decl.WriteString(w.typeName(v.Elem().Type()) + " = ")
		err := w.value(v.Elem(), true)
		w.b = outer
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "&golitValue%d", len(w.pointees))
		w.pointees = append(w.pointees, decl.String())
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		b.WriteString(w.typeName(v.Type()) + "{")
		concrete := v.Type().Elem().Kind() != reflect.Interface
		for i := 0; i < v.Len(); i++ {
			if err := w.value(v.Index(i), concrete); err != nil {
				return err
			}
			b.WriteString(", ")
		}
		b.WriteString("}")
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("map key type %s", v.Type().Key())
		}
		b.WriteString(w.typeName(v.Type()) + "{\n")
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		concrete := v.Type().Elem().Kind() != reflect.Interface
		for _, k := range keys {
			b.WriteString(strconv.Quote(k.String()) + ": ")
			if err := w.value(v.MapIndex(k), concrete); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		b.WriteString("}")
	case reflect.Struct:
		t := v.Type()
		b.WriteString(w.typeName(t) + "{\n")
		for i := 0; i < t.NumField(); i++ {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			if !t.Field(i).IsExported() {
				return fmt.Errorf("%s.%s is not exported", t, t.Field(i).Name)
			}
			b.WriteString(t.Field(i).Name + ": ")
			if err := w.value(f, true); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		b.WriteString("}")
	default:
		return fmt.Errorf("cannot write a %s", v.Type())
	}
	return nil
}

// conv writes a numeric constant, converted to its type unless the context
// gives it (or it is an int, the default type of an integer constant).
func (w *writer) conv(t reflect.Type, typed bool, lit string, isInt bool) {
	if typed || isInt && t == reflect.TypeOf(0) {
		w.b.WriteString(lit)
		return
	}
	w.b.WriteString(w.typeName(t) + "(" + lit + ")")
}
