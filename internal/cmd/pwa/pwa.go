// Package pwa implements `axios pwa add`: read a web app manifest (a saved
// file or an https address) and add the app to the configuration's
// pwa-apps.json, which the axios.pwa home module reads (axios.pwa.appsFile).
// It is the command of the helper program axios-pwa (cmd/axios-pwa), which
// `axios pwa` runs, so that net/http stays out of axios.
package pwa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/webmanifest"
)

// AppsFile and IconDir are the file and folder `axios pwa add` writes in the
// configuration directory.
const (
	AppsFile = "pwa-apps.json"
	IconDir  = "pwa-icons"
	// maxIcon bounds a downloaded or copied icon.
	maxIcon = 5 << 20
)

// Deps are what the command needs from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Resolver configdir.Resolver
	// Client fetches manifests and icons given as https addresses.
	Client *http.Client
	// ThemeDirs are the folders searched for <name>.svg theme icons.
	ThemeDirs []string
}

// DefaultThemeDirs are where a NixOS system and Debian keep Papirus's app
// icons.
func DefaultThemeDirs(home string) []string {
	dirs := []string{
		"/run/current-system/sw/share/icons/Papirus/64x64/apps",
		"/etc/profiles/per-user/" + os.Getenv("USER") + "/share/icons/Papirus/64x64/apps",
	}
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".nix-profile/share/icons/Papirus/64x64/apps"))
	}
	return append(dirs, "/usr/share/icons/Papirus/64x64/apps")
}

// Result is what `axios pwa add --json` prints.
type Result struct {
	ID      string            `json:"id"`
	Entry   webmanifest.Entry `json:"entry"`
	File    string            `json:"file"`
	IconPNG string            `json:"iconFile,omitempty"`
	Created bool              `json:"created"` // pwa-apps.json did not exist
	Notes   []string          `json:"notes,omitempty"`
}

// New returns the `axios pwa` command.
func New(deps Deps) *cobra.Command {
	root := &cobra.Command{
		Use:   "pwa",
		Short: "Web apps (PWAs): add one from its manifest",
	}
	root.AddCommand(addCmd(deps))
	return root
}

func addCmd(deps Deps) *cobra.Command {
	var dir, id, baseURL string
	var force, asJSON bool
	cmd := &cobra.Command{
		Use:   "add MANIFEST",
		Short: "Add a web app to pwa-apps.json from its manifest (a saved file or an https address)",
		Long: `Read a web app manifest — a saved file (manifest.json, *.webmanifest) or its
https address — and add the app to pwa-apps.json in the configuration
directory: name, start URL, freedesktop categories from the manifest's, and
an icon: the icon theme's (Papirus) when it has one under the app's name,
else the manifest's largest PNG, copied to pwa-icons/<id>.png.

The configuration reads the file with
  axios.pwa.appsFile = ./pwa-apps.json;   axios.pwa.iconPath = ./pwa-icons;
(home-manager). An app already in the file is never replaced without
--force; the file is written atomically under a lock on the folder.

A saved manifest with a relative start_url needs --base-url, the address it
was saved from.`,
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			res, err := Add(ctx, deps, Options{Source: args[0], Dir: dir, ID: id, BaseURL: baseURL, Force: force})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			icon := res.Entry.ThemeIcon
			if icon != "" {
				icon = "theme icon " + icon
			} else if res.IconPNG != "" {
				icon = res.IconPNG
			} else {
				icon = "none (a generic icon)"
			}
			fmt.Fprintf(out, "Added %s (%s, %s) to %s; icon: %s\n", res.ID, res.Entry.Name, res.Entry.URL, res.File, icon)
			for _, n := range res.Notes {
				fmt.Fprintln(out, n)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "the configuration directory")
	f.StringVar(&id, "id", "", "the app's id (default: from the manifest's short name)")
	f.StringVar(&baseURL, "base-url", "", "the site a saved manifest came from, for relative addresses in it")
	f.BoolVar(&force, "force", false, "replace an app of the same id (and its icon)")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// Options are the arguments of Add.
type Options struct {
	Source, Dir, ID, BaseURL string
	Force                    bool
}

func usage(format string, a ...any) error {
	return exitcode.New(exitcode.Usage, fmt.Errorf(format, a...))
}
func failed(err error) error { return exitcode.New(exitcode.Failed, err) }

// Add reads the manifest and writes the entry (and its icon).
func Add(ctx context.Context, deps Deps, o Options) (*Result, error) {
	cfg, err := deps.Resolver.Resolve(o.Dir)
	if err != nil {
		return nil, usage("%w", err)
	}
	var base *url.URL
	if o.BaseURL != "" {
		b, err := url.Parse(o.BaseURL)
		if err != nil || !b.IsAbs() || (b.Scheme != "https" && b.Scheme != "http") {
			return nil, usage("--base-url %q must be an https:// address", o.BaseURL)
		}
		base = b
	}

	// Read the manifest.
	remote := strings.HasPrefix(o.Source, "https://") || strings.HasPrefix(o.Source, "http://")
	var data []byte
	var manifestURL *url.URL
	if remote {
		u, err := url.Parse(o.Source)
		if err != nil {
			return nil, usage("%q is not a URL: %w", o.Source, err)
		}
		manifestURL = u
		if base == nil {
			base = u
		}
		if data, err = fetch(ctx, deps.Client, u.String(), webmanifest.MaxSize); err != nil {
			return nil, failed(err)
		}
	} else {
		if data, err = readLimited(o.Source, webmanifest.MaxSize); err != nil {
			return nil, usage("%w", err)
		}
	}
	m, err := webmanifest.Parse(data)
	if err != nil {
		return nil, usage("%s: %w", o.Source, err)
	}

	// The entry.
	name := m.Name
	if name == "" {
		name = m.ShortName
	}
	id := o.ID
	if id == "" {
		short := m.ShortName
		if short == "" {
			short = m.Name
		}
		id = webmanifest.Slug(short)
	}
	if !webmanifest.ValidID(id) {
		return nil, usage("the id %q is not usable: lower-case letters, digits and dashes; pass --id", id)
	}
	start, err := m.OpenURL(base)
	if err != nil {
		return nil, usage("%s: %w", o.Source, err)
	}
	e := webmanifest.Entry{ID: id, Name: name, URL: start, Categories: m.DesktopCategories()}
	res := &Result{ID: id, File: filepath.Join(cfg.Path, AppsFile)}

	// One writer at a time; nothing is written before the lock is held.
	unlock, err := fsutil.LockDir(cfg.Path)
	if err != nil {
		if errors.Is(err, fsutil.ErrLocked) {
			return nil, failed(fmt.Errorf("another axios command is changing %s; try again when it is done", cfg.Path))
		}
		return nil, failed(err)
	}
	defer unlock()

	apps, existed, err := readApps(res.File)
	if err != nil {
		return nil, failed(err)
	}
	res.Created = !existed
	if _, ok := apps[id]; ok && !o.Force {
		return nil, usage("%s already has an app %q: pass --force to replace it, or --id to add this one under another id", res.File, id)
	}

	// The icon: the theme's, else the manifest's PNG.
	themeDirs := deps.ThemeDirs
	if themeDirs == nil {
		home, _ := os.UserHomeDir()
		themeDirs = DefaultThemeDirs(home)
	}
	if t := findThemeIcon(themeDirs, m.ThemeCandidates(id)); t != "" {
		e.ThemeIcon = t
	} else if ic, ok := m.BestIcon(); ok {
		png, err := iconBytes(ctx, deps.Client, ic.Src, o.Source, manifestURL, base)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("note: the manifest's icon %s could not be used (%v); the launcher shows a generic icon until %s/%s.png exists", ic.Src, err, IconDir, id))
		} else {
			dst := filepath.Join(cfg.Path, IconDir, id+".png")
			if ok, _ := fsutil.Exists(dst); ok && !o.Force {
				return nil, usage("%s exists: pass --force to replace it", dst)
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return nil, failed(fmt.Errorf("creating %s: %w", filepath.Dir(dst), err))
			}
			if err := fsutil.WriteFileAtomic(dst, png, 0o644); err != nil {
				return nil, failed(fmt.Errorf("writing %s: %w", dst, err))
			}
			e.Icon = id
			res.IconPNG = dst
		}
	} else {
		res.Notes = append(res.Notes, fmt.Sprintf("note: no icon in the theme or the manifest; the launcher shows a generic icon until %s/%s.png exists and the entry names it", IconDir, id))
	}
	if e.Icon == "" && e.ThemeIcon == "" {
		// The entry must name an icon; the build warns while the PNG is missing.
		e.Icon = id
	}

	apps[id] = e
	if err := writeApps(res.File, apps); err != nil {
		return nil, failed(err)
	}
	res.Entry = e
	if res.Created {
		res.Notes = append(res.Notes, "The configuration reads it with (home-manager):\n  axios.pwa.appsFile = ./"+AppsFile+";\n  axios.pwa.iconPath = ./"+IconDir+";")
	}
	return res, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes: not a web app manifest", path, limit)
	}
	return data, nil
}

func fetch(ctx context.Context, client *http.Client, u string, limit int64) ([]byte, error) {
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("fetching %s: larger than %d bytes", u, limit)
	}
	return data, nil
}

// iconBytes reads the icon src: next to a saved manifest, or from the web
// (relative to the manifest's address, else the base URL).
func iconBytes(ctx context.Context, client *http.Client, src, source string, manifestURL, base *url.URL) ([]byte, error) {
	ref, err := url.Parse(src)
	if err != nil {
		return nil, err
	}
	var data []byte
	switch {
	case manifestURL != nil:
		data, err = fetch(ctx, client, manifestURL.ResolveReference(ref).String(), maxIcon)
	case ref.IsAbs():
		data, err = fetch(ctx, client, ref.String(), maxIcon)
	case !strings.HasPrefix(src, "/") && !strings.Contains(src, ".."):
		// Saved next to the manifest (a "Save page" folder keeps it so).
		data, err = readLimited(filepath.Join(filepath.Dir(source), filepath.FromSlash(strings.SplitN(src, "?", 2)[0])), maxIcon)
		if err != nil && base != nil {
			data, err = fetch(ctx, client, base.ResolveReference(ref).String(), maxIcon)
		}
	case base != nil:
		data, err = fetch(ctx, client, base.ResolveReference(ref).String(), maxIcon)
	default:
		return nil, errors.New("its address is relative to the site: pass --base-url")
	}
	if err != nil {
		return nil, err
	}
	if len(data) < 8 || string(data[:8]) != "\x89PNG\r\n\x1a\n" {
		return nil, errors.New("not a PNG file")
	}
	return data, nil
}

func findThemeIcon(dirs, names []string) string {
	for _, n := range names {
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, n+".svg")); err == nil {
				return n
			}
		}
	}
	return ""
}

// readApps reads pwa-apps.json; a file that is not a JSON object of apps is
// an error (never overwritten).
func readApps(path string) (map[string]webmanifest.Entry, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]webmanifest.Entry{}, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("reading %s: %w", path, err)
	}
	apps := map[string]webmanifest.Entry{}
	if err := json.Unmarshal(data, &apps); err != nil {
		return nil, true, fmt.Errorf("%s is not a JSON object of apps (%v): fix or move it; it is left as it is", path, err)
	}
	return apps, true, nil
}

func writeApps(path string, apps map[string]webmanifest.Entry) error {
	ids := make([]string, 0, len(apps))
	for id := range apps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("{\n")
	for i, id := range ids {
		k, _ := json.Marshal(id)
		v, err := json.MarshalIndent(apps[id], "  ", "  ")
		if err != nil {
			return fmt.Errorf("encoding %s: %w", id, err)
		}
		fmt.Fprintf(&b, "  %s: %s", k, v)
		if i < len(ids)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	if err := fsutil.WriteFileAtomic(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
