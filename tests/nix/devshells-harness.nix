# Evaluates devshells/default.nix without nixpkgs: the flake-parts module's
# perSystem function is called with a stand-in `pkgs` that holds exactly the
# packages the shells may use (each checked to exist in nixpkgs), a
# builtins-only `lib` with the few functions the module calls, and inputs
# whose devshell.mkShell returns its configuration. The result is plain data
# for tests/devshells_test.go.
let
  inherit (builtins)
    attrNames
    concatStringsSep
    listToAttrs
    map
    replaceStrings
    ;

  pkg = name: {
    outPath = "/nix/store/stub-${name}";
    pname = name;
  };
  pkgSet =
    names:
    listToAttrs (
      map (n: {
        name = n;
        value = pkg n;
      }) names
    );

  pkgs =
    pkgSet [
      "breakpad"
      "cargo-watch"
      "clang"
      "clang-tools"
      "cli11"
      "cmake"
      "deadnix"
      "delve"
      "gdb"
      "git"
      "go"
      "golangci-lint"
      "gopls"
      "imagemagick"
      "jemalloc"
      "just"
      "libdrm"
      "libgbm"
      "libxcb"
      "ninja"
      "nixd"
      "nixfmt"
      "pam"
      "pipewire"
      "pkg-config"
      "python3"
      "spirv-tools"
      "valgrind"
      "wayland"
      "wayland-protocols"
      "wayland-scanner"
      "zls"
    ]
    // {
      stubName = "pkgs";
      openssl = pkg "openssl" // {
        dev = pkg "openssl-dev";
      };
      qt6 = pkgSet [
        "qtbase"
        "qtdeclarative"
        "qtshadertools"
        "qtsvg"
        "qtwayland"
      ];
    };

  inherit (import ./modsys.nix) lib;

  inputs = {
    devshell = ./devshells-stub-devshell.nix;
    fenix.packages.x86_64-linux.stable.toolchain = pkg "fenix-stable-toolchain";
    zig-overlay.packages.x86_64-linux.default = pkg "zig-overlay-latest";
  };

  module = import ../../devshells/default.nix { inherit inputs; };
  shells =
    (module.perSystem {
      inherit pkgs lib;
      system = "x86_64-linux";
    }).devShells;

  describe = shell: {
    name = shell.devshell.name;
    builtWith = shell._stubNixpkgs;
    packages = map (p: p.pname) shell.devshell.packages;
    commands = map (c: {
      inherit (c)
        name
        help
        category
        command
        ;
    }) shell.commands;
    env = map (e: {
      inherit (e) name;
      value = e.value or e.prefix;
    }) (shell.env or [ ]);
  };
in
{
  names = attrNames shells;
  default = {
    inherit (shells.default) _type priority;
    sameAsGo = shells.default.content == shells.go;
  };
  shells = listToAttrs (
    map (n: {
      name = n;
      value = describe shells.${n};
    }) (builtins.filter (n: n != "default") (attrNames shells))
  );
}
