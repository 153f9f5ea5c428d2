package desktop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

const gdriveStubs = `
  pkg = name: { outPath = "/store/${name}"; meta.mainProgram = name; inherit name; };
  esc = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  lib = {
    mkIf = c: x: x;
    mkOption = a: a;
    mkPackageOption = p: n: o: { };
    literalExpression = x: x;
    types = { bool = "bool"; str = "str"; listOf = t: t; attrsOf = t: t; submodule = m: m; ints.between = a: b: "int"; };
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram}";
    escapeShellArg = esc;
    escapeShellArgs = l: builtins.concatStringsSep " " (map esc l);
    concatStrings = builtins.concatStringsSep "";
    concatStringsSep = builtins.concatStringsSep;
    mapAttrsToList = f: s: map (n: f n s.${n}) (builtins.attrNames s);
    mapAttrs' = f: s: builtins.listToAttrs (map (n: f n s.${n}) (builtins.attrNames s));
    nameValuePair = name: value: { inherit name value; };
  };
  pkgs = builtins.listToAttrs (map (n: { name = n; value = pkg n; }) [ "coreutils" "findutils" "gnugrep" ]) // {
    writeShellApplication = a: pkg a.name // { inherit (a) text; };
  };
  config = {
    home.homeDirectory = "/home/alice";
    xdg = { configHome = "/home/alice/.config"; stateHome = "/home/alice/.local/state"; };
    axios.gdriveSync = {
      enable = true; package = pkg "rclone"; remote = "gdrive"; interval = "15min"; maxDelete = 25; extraArgs = [ ];
      folders = {
        documents = { remotePath = "Documents"; localPath = "Documents"; };
        music = { remotePath = "Music"; localPath = "Music"; };
      };
    };
  };
  m = import ./home/desktop/gdrive-sync.nix { inherit config lib pkgs; };
`

func TestGdriveUnits(t *testing.T) {
	root := testutil.RepoRoot(t)
	var units map[string]struct {
		Unit struct {
			ConditionPathExists []string
		}
		Service struct{ ExecStart string }
	}
	testutil.NixEval(t, root, "let "+gdriveStubs+" in m.config.systemd.user.services", &units)
	doc, ok := units["gdrive-documents-sync"]
	if !ok || len(units) != 2 {
		t.Fatalf("units: %v", units)
	}
	for _, want := range []string{
		"/store/rclone/bin/rclone 'bisync' 'gdrive:Documents' '/home/alice/Documents'",
		"'--max-delete' '25'",
		"'--check-access'",
		"'--config' '/home/alice/.config/rclone/rclone.conf'",
		"'--drive-use-trash'",
	} {
		if !strings.Contains(doc.Service.ExecStart, want) {
			t.Errorf("ExecStart lacks %s:\n%s", want, doc.Service.ExecStart)
		}
	}
	if got := fmt.Sprint(doc.Unit.ConditionPathExists); got != "[/home/alice/.config/rclone/rclone.conf /home/alice/.local/state/axios-gdrive/documents]" {
		t.Errorf("the unit must be skipped until setup has run: %s", got)
	}
	var timers map[string]struct {
		Timer map[string]string
	}
	testutil.NixEval(t, root, "let "+gdriveStubs+" in m.config.systemd.user.timers", &timers)
	if got := fmt.Sprint(timers["gdrive-music-sync"].Timer); got != "map[OnBootSec:5min OnUnitActiveSec:15min]" {
		t.Errorf("music timer: %s", got)
	}
}

func TestGdriveSetupKeepsTokensOutOfTheStore(t *testing.T) {
	var text string
	testutil.NixEval(t, testutil.RepoRoot(t), "let "+gdriveStubs+" in (builtins.elemAt m.config.home.packages 1).text", &text)
	for _, want := range []string{
		`rclone config create "$remote" drive scope=drive --config "$conf"`,
		"conf='/home/alice/.config/rclone/rclone.conf'",
		"--resync",
		"touch '/home/alice/.local/state/axios-gdrive'/\"$name\"",
		"init 'documents' 'gdrive:Documents' '/home/alice/Documents' 'gdrive-documents-sync.service'",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("setup script lacks %q", want)
		}
	}
	for _, secret := range []string{"client_secret", "refresh_token", "access_token"} {
		if strings.Contains(text, secret) {
			t.Errorf("the setup script must not carry credentials (%s)", secret)
		}
	}
}
