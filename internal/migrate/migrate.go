// Package migrate converts a host of the original axiOS (the attribute set
// its lib.mkSystem takes, or the hosts/<name>.nix + user.nix layout its init
// script wrote) into this project's host format: hosts/<name>.toml plus
// hosts/<name>/*.nix for what TOML cannot hold. Convert is pure: it takes
// the host as evaluated by Eval (eval.nix) and the source text, and returns
// the files to write and a report of every key it moved, renamed or could
// not convert. Reading, evaluating and writing are the command's job
// (internal/cmd/migrate).
package migrate

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/rules"
)

// Marker is the key eval.nix puts in the JSON object that stands for a value
// JSON cannot hold.
const Marker = "__axiosMigrate"

// UserModuleStandIn is the value eval.nix gives the original init's
// userModulePath argument (the flake passed "<flake>/user.nix").
const UserModuleStandIn = Marker + ":userModulePath"

// Report actions.
const (
	Moved       = "moved"       // the key kept its path in hosts/<name>.toml
	Renamed     = "renamed"     // the key has a new path in hosts/<name>.toml
	Copied      = "copied"      // a file the key named is copied into hosts/<name>/
	NixModule   = "nix"         // the key is kept as Nix in a module file of hosts/<name>/
	Unconverted = "unconverted" // the key is not converted; To says where it is kept
	Unset       = "unset"       // null in the original: "not set"
	Password    = "password"    // a known password in the input (never copied into TOML)
	Notice      = "notice"      // something to look at that is not a key (a file that becomes a module)
)

// Item is one line of the report.
type Item struct {
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
	Note   string `json:"note,omitempty"`
}

// File is one file to write, with a path relative to the configuration
// directory. A copy has CopyOf (the absolute source path) and no Data; the
// command reads it.
type File struct {
	Path   string `json:"path"`
	Data   []byte `json:"-"`
	CopyOf string `json:"copyOf,omitempty"`
}

// Module is an evaluated module file (the original's user.nix).
type Module struct {
	Path  string         // absolute
	Text  []byte         // its source
	Value map[string]any // as eval.nix returned it (mode module)
}

// Source is one original host.
type Source struct {
	// File names the host file in messages (as the user gave it).
	File string
	// Text is the host file's source; positions of eval.nix refer to Path.
	Path string
	Text []byte
	// Texts are the other files positions may name (a host in flake.nix
	// that imports values from another file), by absolute path.
	Texts map[string][]byte
	// Value is the host as eval.nix returned it (Decode).
	Value map[string]any
	// UserModule is the evaluated user module when userModulePath names a
	// file (UserModulePath); nil when there is none or it was not found.
	UserModule *Module
	// UserModuleMissing explains why a named user module was not read.
	UserModuleMissing string
	// ConfigDir is the absolute configuration directory the files go to.
	ConfigDir string
	// InputDir is the folder of the original configuration, for messages
	// ("" means ConfigDir).
	InputDir string
	// Catalog gives the module flags; nil means catalog.Default().
	Catalog *catalog.Catalog
}

// Result is the conversion of one host.
type Result struct {
	Name   string `json:"host"`
	Source string `json:"source"`
	Files  []File `json:"files"`
	Items  []Item `json:"items"`
}

// HostFile is the path of the TOML host in Files.
func (r *Result) HostFile() string { return path.Join("hosts", r.Name+".toml") }

var hostnameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`) })

// Error is a host that cannot be converted at all.
type Error struct {
	File, Field, Msg, Fix string
}

func (e *Error) Error() string {
	s := e.File + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Msg
	if e.Fix != "" {
		s += " (fix: " + e.Fix + ")"
	}
	return s
}

// UserModulePath returns the file the host's userModulePath names: for the
// original init's stand-in, user.nix in the folder above hosts/ (where init
// wrote it); for a path, that path. ok is false when it names no file.
func UserModulePath(host map[string]any, hostPath string) (p string, ok bool) {
	switch v := host["userModulePath"].(type) {
	case string:
		if v == UserModuleStandIn {
			dir := filepath.Dir(hostPath)
			if filepath.Base(dir) == "hosts" {
				dir = filepath.Dir(dir)
			}
			return filepath.Join(dir, "user.nix"), true
		}
		if filepath.IsAbs(v) {
			return v, true
		}
	case map[string]any:
		if p, ok := pathMarker(v); ok {
			return p, true
		}
	}
	return "", false
}

// converter holds the state of one conversion.
type converter struct {
	src   Source
	name  string
	cat   *catalog.Catalog
	toml  map[string]any
	defs  []nixDef // the module hosts/<name>/migrated.nix
	notes []nixDef // commented out at its end
	files []File
	items []Item
}

// nixDef is one `path = text;` of a generated module.
type nixDef struct {
	path []string
	text string
	why  string // for commented-out definitions
}

// MigratedModule is the module file (in hosts/<name>/) with what TOML cannot
// hold.
const MigratedModule = "migrated.nix"

// Convert converts one host.
func Convert(src Source) (*Result, error) {
	if src.Value == nil {
		return nil, &Error{File: src.File, Msg: "the file does not evaluate to an attribute set", Fix: "give the file holding the mkSystem attribute set (or the hosts/<name>.nix the original init wrote)"}
	}
	if m, ok := src.Value[Marker].(string); ok && m == "notAttrs" {
		return nil, &Error{File: src.File, Msg: fmt.Sprintf("the file evaluates to a %v, not an attribute set (nor a function returning one)", src.Value["type"]),
			Fix: "give the file holding the mkSystem attribute set (or the hosts/<name>.nix the original init wrote)"}
	}
	hn, ok := src.Value["hostname"].(string)
	if !ok {
		return nil, &Error{File: src.File, Field: "hostname", Msg: "missing or not a string; it names hosts/<name>.toml",
			Fix: `add hostname = "<name>"; to the host (the original required it too)`}
	}
	if !hostnameRE().MatchString(hn) {
		return nil, &Error{File: src.File, Field: "hostname", Msg: fmt.Sprintf("%q is not a valid host name", hn),
			Fix: "use letters, digits, '-' and '_' (at most 63), not starting or ending with '-' or '_'"}
	}
	c := &converter{src: src, name: hn, cat: src.Catalog, toml: map[string]any{}}
	if c.cat == nil {
		c.cat = catalog.Default()
	}
	c.convert()
	return c.result(), nil
}

func (c *converter) item(action, from, to, note string) {
	c.items = append(c.items, Item{Action: action, From: from, To: to, Note: note})
}

func (c *converter) hostDir() string { return path.Join("hosts", c.name) }

func (c *converter) migratedFile() string { return path.Join(c.hostDir(), MigratedModule) }

// set puts a value into the TOML table at a dotted path.
func (c *converter) set(p []string, v any) {
	t := c.toml
	for _, k := range p[:len(p)-1] {
		next, ok := t[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			t[k] = next
		}
		t = next
	}
	t[p[len(p)-1]] = v
}

func (c *converter) convert() {
	v := c.src.Value
	keys := sortedKeys(v)
	// Keys of the original mkSystem (docs: the inventory, 1.10.4) and of
	// this project's host that have the same meaning.
	for _, k := range keys {
		val := v[k]
		switch k {
		case "hostname", "system", "formFactor", "homeProfile", "timeZone":
			c.scalar([]string{k}, val)
		case "hardware":
			c.hardware(val)
		case "modules":
			c.modules(val)
		case "users", "deploy":
			c.table([]string{k}, val, "")
		case "virt", "secrets", "selfHosted":
			flag := k
			if k == "selfHosted" {
				flag = "services"
			}
			c.table([]string{k}, val, flag)
		case "extraConfig":
			c.extraConfig(val)
		case "userModulePath":
			c.userModule(val)
		case "hardwareConfigPath":
			c.hardwareConfig(val)
		case "diskConfigPath":
			c.diskConfig(val)
		case "extraModules":
			c.extraModules(val)
		case "services":
			c.keepComment([]string{k}, val, "the original's documentation mentioned a `services` key, but its mkSystem never read it (self-hosted services are modules.services and selfHosted)")
		default:
			c.keepComment([]string{k}, val, "not a key of the original mkSystem nor of this project's host; the original ignored it")
		}
	}
	if _, ok := c.toml["timeZone"]; !ok {
		c.item(Unconverted, "extraConfig.axios.system.timeZone", "hosts/"+c.name+".toml",
			"the original host set no time zone, which this project requires: add timeZone = \"Region/City\" (timedatectl show -p Timezone --value)")
	}
}

// scalar moves a top-level or hardware value that TOML holds as is.
func (c *converter) scalar(p []string, val any) {
	from := strings.Join(p, ".")
	switch {
	case val == nil:
		c.item(Unset, from, "", "null means not set")
	case tomlable(val):
		c.set(p, val)
		c.item(Moved, from, from, "")
	default:
		c.keepActive(p, p, val, "TOML cannot hold this value")
	}
}

func (c *converter) hardware(val any) {
	t, ok := val.(map[string]any)
	if !ok || isMarker(t) {
		c.scalar([]string{"hardware"}, val)
		return
	}
	if len(t) == 0 {
		c.item(Moved, "hardware", "hardware", "empty")
		return
	}
	// The original's cpu, gpu, vendor, hasSSD and isLaptop, and any other
	// hardware key of this project's rules, keep their names.
	fields := rules.Default().Fields
	for _, k := range sortedKeys(t) {
		p := []string{"hardware", k}
		if _, known := fields["hardware."+k]; !known {
			c.keepComment(p, t[k], "not a hardware key; the original ignored it")
			continue
		}
		c.scalar(p, t[k])
	}
}

func (c *converter) modules(val any) {
	t, ok := val.(map[string]any)
	if !ok || isMarker(t) {
		c.scalar([]string{"modules"}, val)
		return
	}
	flags := map[string]bool{}
	for _, f := range c.cat.Flags() {
		flags[f] = true
	}
	for _, k := range sortedKeys(t) {
		p := []string{"modules", k}
		if !flags[k] {
			c.keepComment(p, t[k], "not a module flag; the original ignored unknown flags")
			continue
		}
		c.scalar(p, t[k])
	}
}

// table moves a settings table (virt, secrets, selfHosted, users, deploy):
// what TOML holds into hosts/<name>.toml, the rest as NixOS definitions of
// the same option (mkSystem copied the table to the NixOS option of its
// name) while flag's module is on, else commented out.
func (c *converter) table(p []string, val any, flag string) {
	from := strings.Join(p, ".")
	if val == nil {
		c.item(Unset, from, "", "null means not set")
		return
	}
	if flag != "" && !c.flagOn(flag) {
		c.keepComment(p, val, fmt.Sprintf("the original ignored %s because modules.%s is off; to use it, set modules.%s = true and move it into hosts/%s.toml", from, flag, flag, c.name))
		return
	}
	t, ok := val.(map[string]any)
	if !ok || isMarker(t) {
		if flag != "" {
			c.keepActive(p, p, val, "TOML cannot hold this value")
		} else {
			c.keepComment(p, val, "TOML cannot hold this value")
		}
		return
	}
	if len(t) == 0 {
		c.set(p, map[string]any{})
		c.item(Moved, from, from, "")
		return
	}
	c.walk(p, p, t, func(q []string, leaf any) {
		if flag != "" {
			c.keepActive(q, q, leaf, "TOML cannot hold this value")
		} else {
			c.keepComment(q, leaf, "TOML cannot hold this value")
		}
	})
}

// walk moves every leaf below t that TOML holds to the same path in the
// TOML host and reports it; other leaves go to other. opt is the NixOS
// option path of t (for other), p its path in the host.
func (c *converter) walk(p, opt []string, t map[string]any, other func(q []string, leaf any)) {
	for _, k := range sortedKeys(t) {
		v := t[k]
		q := append(append([]string{}, p...), k)
		o := append(append([]string{}, opt...), k)
		if isPasswordPath(o) || p[0] == "users" && len(q) == 3 && (k == "initialPassword" || k == "password") {
			c.password(strings.Join(q, "."))
			continue
		}
		if sub, ok := v.(map[string]any); ok && !isMarker(sub) && !isTyped(sub) && len(sub) > 0 {
			c.walk(q, o, sub, other)
			continue
		}
		if tomlable(v) {
			c.set(q, v)
			c.item(Moved, strings.Join(q, "."), strings.Join(q, "."), "")
			continue
		}
		other(q, v)
	}
}

func (c *converter) flagOn(flag string) bool {
	m, _ := c.src.Value["modules"].(map[string]any)
	if b, ok := m[flag].(bool); ok {
		return b
	}
	return c.cat.FlagDefault(flag)
}

// extraConfig: axios.system.timeZone and axios.user.* become host keys, the
// rest stays extraConfig (in TOML where it can, else in migrated.nix).
func (c *converter) extraConfig(val any) {
	if val == nil {
		c.item(Unset, "extraConfig", "", "null means not set")
		return
	}
	t, ok := val.(map[string]any)
	if !ok || isMarker(t) {
		c.keepModule([]string{"extraConfig"}, val)
		return
	}
	rest := copyMap(t)
	if ax, ok := rest["axios"].(map[string]any); ok && !isMarker(ax) && !isTyped(ax) {
		ax = copyMap(ax)
		if sys, ok := ax["system"].(map[string]any); ok && !isMarker(sys) && !isTyped(sys) {
			sys = copyMap(sys)
			if tz, ok := sys["timeZone"].(string); ok {
				if _, set := c.src.Value["timeZone"]; !set {
					c.set([]string{"timeZone"}, tz)
					c.item(Renamed, "extraConfig.axios.system.timeZone", "timeZone", "")
					delete(sys, "timeZone")
				}
			}
			setOrDelete(ax, "system", sys)
		}
		if u, ok := ax["user"].(map[string]any); ok && !isMarker(u) && !isTyped(u) {
			if c.userKeys(u, "extraConfig.axios.user") {
				delete(ax, "user")
			}
		}
		setOrDelete(rest, "axios", ax)
	}
	c.walk([]string{"extraConfig"}, []string{}, rest, func(q []string, leaf any) {
		c.keepActive(q, q[1:], leaf, "")
	})
}

// userKeys turns axios.user.{name,fullName,email} (plain strings, nothing
// else) into [users.<name>]; false when the table holds more or other
// values, so the caller keeps it.
func (c *converter) userKeys(u map[string]any, from string) bool {
	name, ok := u["name"].(string)
	if !ok || name == "" {
		return false
	}
	for k, v := range u {
		if _, isStr := v.(string); !isStr || (k != "name" && k != "fullName" && k != "email") {
			return false
		}
	}
	if users, ok := c.toml["users"].(map[string]any); ok {
		if _, dup := users[name]; dup {
			return false
		}
	}
	c.item(Renamed, from+".name", "users."+name, "")
	for _, k := range []string{"fullName", "email"} {
		if s, ok := u[k].(string); ok && s != "" {
			c.set([]string{"users", name, k}, s)
			c.item(Renamed, from+"."+k, "users."+name+"."+k, "")
		}
	}
	if _, ok := c.toml["users"].(map[string]any)[name].(map[string]any); !ok {
		c.set([]string{"users", name}, map[string]any{})
	}
	c.item(Password, from+".name", "users."+name,
		`the original gave this account the password "changeme"; this project sets no password: set users.`+name+`.hashedPassword (mkpasswd) or hashedPasswordFile in hosts/`+c.name+`.toml (docs/users.md, "Passwords and SSH keys")`)
	return true
}

func setOrDelete(m map[string]any, k string, sub map[string]any) {
	if len(sub) == 0 {
		delete(m, k)
	} else {
		m[k] = sub
	}
}

// keepActive keeps a value as a NixOS definition in migrated.nix: rendered
// when it is data, its source text when it is not.
func (c *converter) keepActive(from, opt []string, val any, why string) {
	f := strings.Join(from, ".")
	text, note, ok := c.nixText(val, 1)
	if !ok {
		c.keepComment(from, val, note)
		return
	}
	c.defs = append(c.defs, nixDef{path: opt, text: text})
	if why != "" && note != "" {
		note = why + "; " + note
	} else if why != "" {
		note = why
	}
	c.item(NixModule, f, c.migratedFile()+": "+strings.Join(opt, "."), note)
}

// keepModule keeps a whole extraConfig that is not an attribute set (a
// module function, say) as an import of migrated.nix.
func (c *converter) keepModule(from []string, val any) {
	text, note, ok := c.nixText(val, 2)
	if !ok {
		c.keepComment(from, val, note)
		return
	}
	c.defs = append(c.defs, nixDef{path: []string{"imports"}, text: "[\n(" + text + ")\n]"})
	c.item(NixModule, strings.Join(from, "."), c.migratedFile()+": imports", note)
}

// keepComment keeps a value that is not converted as a comment at the end
// of migrated.nix, so nothing is lost.
func (c *converter) keepComment(from []string, val any, why string) {
	text, note, ok := c.nixText(val, 0)
	if !ok {
		text = "<" + note + ">"
	}
	c.notes = append(c.notes, nixDef{path: from, text: text, why: why})
	c.item(Unconverted, strings.Join(from, "."), c.migratedFile()+" (commented out)", why)
}

// nixText renders a value as Nix for a module in hosts/<name>/: data is
// rendered, a marked value is its source text from the host file. ok is
// false when the text cannot be recovered (note says why).
func (c *converter) nixText(val any, depth int) (text, note string, ok bool) {
	if m, isMap := val.(map[string]any); isMap && isMarker(m) {
		kind, _ := m[Marker].(string)
		if kind == "path" {
			return c.renderer().value(val, depth), c.pathNote(m), true
		}
		pos, _ := m["pos"].(map[string]any)
		line, col := num(pos["line"]), num(pos["column"])
		file, _ := pos["file"].(string)
		what := map[string]string{"function": "a function", "package": "a package", "error": "a value whose evaluation needs what only a real system has (pkgs, config, inputs)"}[kind]
		if what == "" {
			what = "a value JSON cannot hold"
		}
		text, found := c.src.Texts[file]
		if file == c.src.Path {
			text, found = c.src.Text, true
		}
		if pos == nil || !found {
			return "", what + ", written where its source cannot be found", false
		}
		src, err := ValueSource(text, line, col)
		if err != nil {
			return "", what + "; its source text could not be cut out (" + err.Error() + ")", false
		}
		shown := c.src.File
		if file != c.src.Path {
			shown = c.rel(file)
		}
		n := fmt.Sprintf("%s, kept as written (line %d of %s)", what, line, shown)
		if free := FreeNames(src); len(free) > 0 {
			n += fmt.Sprintf("; it uses %s, defined in the original file: define it in %s", strings.Join(free, ", "), c.migratedFile())
		}
		return src, n, true
	}
	r := c.renderer()
	text = r.value(val, depth)
	return text, strings.Join(r.notes, "; "), true
}

func (c *converter) pathNote(m map[string]any) string {
	p, _ := pathMarker(m)
	if rel, err := filepath.Rel(c.src.ConfigDir, p); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return p + " is outside the configuration directory, which a flake cannot read: move it inside"
	}
	return ""
}

func (c *converter) renderer() *renderer {
	return &renderer{moduleDir: filepath.Join(c.src.ConfigDir, "hosts", c.name), configDir: c.src.ConfigDir}
}

// maxTOMLLeaves is the most extraConfig values hosts/<name>.toml takes; a
// larger extraConfig goes to migrated.nix whole (a host file is short, and
// axios check refuses one of more than hostfile.MaxKeys keys).
const maxTOMLLeaves = 500

func countLeaves(v any) int {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return 1
	}
	n := 0
	for _, e := range m {
		n += countLeaves(e)
	}
	return n
}

// bigExtraConfig moves a large extraConfig from the TOML host to
// migrated.nix.
func (c *converter) bigExtraConfig() {
	ec, ok := c.toml["extraConfig"].(map[string]any)
	if !ok || countLeaves(ec) <= maxTOMLLeaves {
		return
	}
	delete(c.toml, "extraConfig")
	for _, k := range sortedKeys(ec) {
		c.defs = append(c.defs, nixDef{path: []string{k}, text: c.renderer().value(ec[k], 1)})
	}
	for i, it := range c.items {
		if it.Action == Moved && strings.HasPrefix(it.From, "extraConfig.") {
			c.items[i] = Item{Action: NixModule, From: it.From, To: c.migratedFile() + ": " + strings.TrimPrefix(it.From, "extraConfig."),
				Note: fmt.Sprintf("extraConfig has more than %d values, too many for a host file", maxTOMLLeaves)}
		}
	}
}

func (c *converter) result() *Result {
	c.bigExtraConfig()
	r := &Result{Name: c.name, Source: c.src.File, Items: c.items}
	host := RenderTOML(c.toml, c.src.File)
	r.Files = append(r.Files, File{Path: r.HostFile(), Data: []byte(host)})
	if len(c.defs) > 0 || len(c.notes) > 0 {
		r.Files = append(r.Files, File{Path: c.migratedFile(), Data: []byte(c.renderModule())})
	}
	r.Files = append(r.Files, c.files...)
	return r
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func isMarker(m map[string]any) bool {
	_, ok := m[Marker]
	return ok
}

// isTyped: a module-system value (mkIf, mkForce …) as eval.nix's lib makes.
func isTyped(m map[string]any) bool {
	_, ok := m["_type"]
	return ok
}

func pathMarker(m map[string]any) (string, bool) {
	if k, _ := m[Marker].(string); k == "path" {
		p, ok := m["path"].(string)
		return p, ok
	}
	return "", false
}

// tomlable: TOML holds v exactly (no null, no marker, no module-system
// value; lists of one kind).
func tomlable(v any) bool {
	switch x := v.(type) {
	case string, bool, int64, float64:
		return true
	case []any:
		for _, e := range x {
			if !tomlable(e) {
				return false
			}
		}
		return true
	case map[string]any:
		if isMarker(x) || isTyped(x) {
			return false
		}
		for _, e := range x {
			if !tomlable(e) {
				return false
			}
		}
		return true
	}
	return false
}

// isPasswordPath: a NixOS option that holds a password in plain text.
func isPasswordPath(o []string) bool {
	n := len(o)
	switch {
	case n == 4 && o[0] == "users" && o[1] == "users" && (o[3] == "initialPassword" || o[3] == "password"):
		return true
	case n == 3 && o[0] == "axios" && o[1] == "users" && o[2] == "initialPassword":
		return true
	}
	return false
}

// password reports a known password that is not carried over.
func (c *converter) password(from string) {
	c.item(Password, from, "", "a password in plain text (world-readable in the Nix store) is not carried over: give the account a hashedPassword (mkpasswd) or hashedPasswordFile in [users.<name>] of hosts/"+c.name+`.toml (docs/users.md, "Passwords and SSH keys")`)
}

// SourceFiles lists the files other than the host file that positions in a
// value name (sorted), so the caller can read them into Source.Texts.
func SourceFiles(v any, hostPath string) []string {
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if isMarker(x) {
				if f, ok := dig(x, "pos", "file").(string); ok && f != hostPath {
					seen[f] = true
				}
				return
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// rel names a file of the original configuration in messages.
func (c *converter) rel(p string) string {
	if c.src.InputDir != "" {
		return relTo(c.src.InputDir, p)
	}
	return relTo(c.src.ConfigDir, p)
}
