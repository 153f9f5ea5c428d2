package migrate

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// userModule converts userModulePath: the original init's user.nix (only
// axios.user.*) becomes [users.<name>]; any other module is copied to
// hosts/<name>/user.nix.
func (c *converter) userModule(val any) {
	const from = "userModulePath"
	if val == nil {
		c.item(Unset, from, "", "null means not set")
		return
	}
	if _, named := UserModulePath(c.src.Value, c.src.Path); named {
		m := c.src.UserModule
		if m == nil {
			why := c.src.UserModuleMissing
			if why == "" {
				why = "the user module was not found"
			}
			c.item(Unconverted, from, "", why+"; add the account as [users.<name>] in "+path.Join("hosts", c.name+".toml"))
			return
		}
		c.userModuleFile(m)
		return
	}
	c.moduleFile(from, val, "user.nix")
}

func (c *converter) userModuleFile(m *Module) {
	const from = "userModulePath"
	if m.Value != nil && !isMarker(m.Value) {
		passwords := knownPasswords(m.Value, nil)
		if len(m.Value) == 1 {
			if ax, ok := m.Value["axios"].(map[string]any); ok && len(ax) == 1 {
				if u, ok := ax["user"].(map[string]any); ok && c.userKeys(u, c.rel(m.Path)+": axios.user") {
					return
				}
			}
		}
		to := path.Join(c.hostDir(), "user.nix")
		text, removed := ScrubPasswords(m.Text)
		c.files = append(c.files, File{Path: to, Data: text})
		c.item(Copied, from+" ("+c.rel(m.Path)+")", to, "copied as it is: relative paths in it now start at "+c.hostDir()+"/")
		for _, p := range passwords {
			where := "commented out in " + to
			if removed < len(passwords) {
				where = "commented out in " + to + " where it is a one-line `name = \"…\";` (check that no password is left)"
			}
			c.item(Password, c.rel(m.Path)+": "+p, "",
				"a password in plain text (world-readable in the Nix store), "+where+": give the account a hashedPassword (mkpasswd) or hashedPasswordFile instead, in [users.<name>] of "+path.Join("hosts", c.name+".toml")+` (docs/users.md, "Passwords and SSH keys")`)
		}
		return
	}
	to := path.Join(c.hostDir(), "user.nix")
	c.files = append(c.files, File{Path: to, CopyOf: m.Path})
	c.item(Copied, from+" ("+c.rel(m.Path)+")", to, "copied as it is (it is not an attribute set); relative paths in it now start at "+c.hostDir()+"/")
}

// knownPasswords lists the plain-text password options a module value sets:
// users.users.<name>.{password,initialPassword} and
// axios.users.initialPassword. Values are never returned.
func knownPasswords(v map[string]any, out []string) []string {
	if users, ok := dig(v, "users", "users").(map[string]any); ok {
		for _, n := range sortedKeys(users) {
			u, _ := users[n].(map[string]any)
			for _, k := range []string{"initialPassword", "password"} {
				if s, ok := u[k].(string); ok && s != "" {
					out = append(out, "users.users."+n+"."+k)
				} else if m, ok := u[k].(map[string]any); ok && isMarker(m) {
					out = append(out, "users.users."+n+"."+k)
				}
			}
		}
	}
	if s, ok := dig(v, "axios", "users", "initialPassword").(string); ok && s != "" {
		out = append(out, "axios.users.initialPassword")
	}
	return out
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// hardwareConfig copies hardwareConfigPath to hosts/<name>/hardware.nix.
func (c *converter) hardwareConfig(val any) {
	if val == nil {
		c.item(Unset, "hardwareConfigPath", "", "null means not set; write "+path.Join(c.hostDir(), "hardware.nix")+" (nixos-generate-config --show-hardware-config)")
		return
	}
	c.moduleFile("hardwareConfigPath", val, "hardware.nix")
}

// moduleFile puts a module value (a path, an attribute set, a function)
// into hosts/<name>/<file>.
func (c *converter) moduleFile(from string, val any, file string) {
	to := path.Join(c.hostDir(), file)
	if m, ok := val.(map[string]any); ok {
		if p, isPath := pathMarker(m); isPath {
			c.files = append(c.files, File{Path: to, CopyOf: p})
			c.item(Copied, from, to, "from "+c.rel(p))
			return
		}
	}
	if s, ok := val.(string); ok && filepath.IsAbs(s) {
		c.files = append(c.files, File{Path: to, CopyOf: s})
		c.item(Copied, from, to, "from "+c.rel(s))
		return
	}
	text, note, ok := c.nixText(val, 0)
	if !ok {
		c.keepComment([]string{from}, val, note)
		return
	}
	data := fmt.Sprintf("# %s of %s, converted by `axios migrate`.\n%s\n", from, c.src.File, text)
	c.files = append(c.files, File{Path: to, Data: []byte(data)})
	c.item(NixModule, from, to, note)
}

// diskConfig keeps diskConfigPath's file, not imported: the original never
// read the key (its documentation said it did), so importing it now would
// change the system.
func (c *converter) diskConfig(val any) {
	const from = "diskConfigPath"
	if val == nil {
		c.item(Unset, from, "", "null means not set")
		return
	}
	m, _ := val.(map[string]any)
	p, isPath := pathMarker(m)
	if !isPath {
		c.keepComment([]string{from}, val, "the original never read diskConfigPath")
		return
	}
	copyTo := path.Join(c.hostDir(), "disks", filepath.Base(p))
	stub := path.Join(c.hostDir(), "disks.nix")
	c.files = append(c.files, File{Path: copyTo, CopyOf: p})
	if filepath.Dir(p) == filepath.Join(c.src.ConfigDir, "hosts", c.name) {
		// The file is in hosts/<name>/ already, where every .nix file is
		// imported now.
		c.item(Unconverted, from, copyTo, "the original never read diskConfigPath, but "+c.rel(p)+" is in "+c.hostDir()+"/, whose .nix files are all imported now: delete it there (the copy in "+path.Dir(copyTo)+"/ is not imported) unless you mean to use it")
		return
	}
	c.files = append(c.files, File{Path: stub, Data: []byte(fmt.Sprintf(`# diskConfigPath of %s pointed at
# %s. The original axiOS never read
# diskConfigPath (its documentation said it did), so the file did nothing.
# It is kept in disks/, which is not imported; to use it, uncomment the
# import (a disko layout also needs the disko module).
{
  imports = [
    # ./disks/%s
  ];
}
`, c.src.File, c.rel(p), filepath.Base(p)))})
	c.item(Unconverted, from, copyTo, "the original never read diskConfigPath; the file is kept, not imported ("+stub+" says how)")
}

// extraModules copies module files into hosts/<name>/ (every .nix file
// there is imported).
func (c *converter) extraModules(val any) {
	const from = "extraModules"
	list, ok := val.([]any)
	if !ok {
		if val == nil {
			c.item(Unset, from, "", "null means not set")
			return
		}
		c.moduleFile(from, val, "extra-modules.nix")
		return
	}
	for i, e := range list {
		f := fmt.Sprintf("%s[%d]", from, i)
		m, _ := e.(map[string]any)
		p, isPath := pathMarker(m)
		if !isPath {
			c.moduleFile(f, e, fmt.Sprintf("extra-module-%d.nix", i))
			continue
		}
		base := filepath.Base(p)
		if !strings.HasSuffix(base, ".nix") || base == "hardware.nix" || base == MigratedModule || base == "user.nix" || base == "disks.nix" || base == "default.nix" {
			base = fmt.Sprintf("extra-%d-%s", i, strings.TrimSuffix(base, ".nix")) + ".nix"
		}
		to := path.Join(c.hostDir(), base)
		c.files = append(c.files, File{Path: to, CopyOf: p})
		c.item(Copied, f, to, "from "+c.rel(p)+"; relative paths in it now start at "+c.hostDir()+"/")
	}
}

// relTo shows p relative to dir when it is inside, else as it is.
func relTo(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return filepath.ToSlash(rel)
	}
	return p
}

var passwordLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^([ \t]*)((?:[A-Za-z0-9_"-]+\.)*(?:initialPassword|password))[ \t]*=[ \t]*"[^"\n]*"[ \t]*;`)
})

// ScrubPasswords comments out one-line plain-text password definitions
// (initialPassword = "…"; password = "…";) in a module's text; it returns
// the text and how many it commented out. The password itself is dropped.
func ScrubPasswords(text []byte) ([]byte, int) {
	n := 0
	out := passwordLine().ReplaceAllFunc(text, func(m []byte) []byte {
		n++
		sub := passwordLine().FindSubmatch(m)
		return []byte(string(sub[1]) + "# " + string(sub[2]) + ": a known password, removed by axios migrate; set hashedPassword or hashedPasswordFile (docs/users.md)")
	})
	return out, n
}
