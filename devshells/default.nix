# Development shells (a flake-parts module, imported by flake.nix):
#
#   nix develop .#go      Go + Nix tooling for working on axiOS itself
#   nix develop           the same (default)
#   nix develop .#rust    Rust stable from fenix
#   nix develop .#zig     Zig from zig-overlay, with zls
#   nix develop .#qml     Qt 6 / QML / Quickshell work
#
# Every shell is a numtide devshell: it prints a menu of its commands on entry
# (`menu` prints it again) and `<shell>-info` shows the tool versions. No
# command is named after a standard tool (`test`, `install`): commands are
# executables on PATH and would shadow it for every script run in the shell.
{ inputs, ... }:
{
  perSystem =
    {
      pkgs,
      lib,
      system,
      ...
    }:
    let
      devshell = import inputs.devshell {
        inherit system;
        nixpkgs = pkgs;
      };

      # { name = "help"; } lists → devshell commands in one category.
      commandsIn =
        category:
        map (
          c:
          c
          // {
            inherit category;
          }
        );

      # `<shell>-info`: the command list and the versions of the tools.
      info = name: versions: {
        name = "${name}-info";
        help = "show this shell's tools and their versions";
        category = "info";
        command = ''
          menu
          echo
          echo "versions:"
          ${lib.concatMapStringsSep "\n" (v: ''printf '  %-14s %s\n' ${lib.escapeShellArg v.label} "$(${v.cmd} 2>&1 | head -n 1)"'') versions}
        '';
      };

      # The full stable toolchain (rustc, cargo, clippy, rustfmt, rust-src,
      # rust-analyzer): no separate rust-analyzer, it would shadow this one.
      rustToolchain = inputs.fenix.packages.${system}.stable.toolchain;

      # The overlay's own build of the latest Zig release, not nixpkgs' zig.
      zig = inputs.zig-overlay.packages.${system}.default;

      go = devshell.mkShell {
        devshell.name = "axios-go";
        devshell.packages = [
          pkgs.go
          pkgs.gopls
          pkgs.golangci-lint
          pkgs.delve
          pkgs.nixfmt
          pkgs.nixd
          pkgs.deadnix
          pkgs.imagemagick
          pkgs.git
        ];
        commands =
          commandsIn "go" [
            {
              name = "build";
              help = "build the axios command into ./axios";
              command = ''go build -o axios ./cmd/axios "$@"'';
            }
            {
              name = "tests";
              help = "the full test command (gofmt, go vet, go test)";
              command = ''./scripts/test "$@"'';
            }
            {
              name = "lint";
              help = "golangci-lint on every package";
              command = ''golangci-lint run "$@" ./...'';
            }
            {
              name = "format";
              help = "gofmt every Go file and nixfmt every Nix file";
              command = ''
                gofmt -w $(git ls-files '*.go')
                nixfmt $(git ls-files '*.nix')
              '';
            }
          ]
          ++ [
            (info "go" [
              {
                label = "go";
                cmd = "go version";
              }
              {
                label = "gopls";
                cmd = "gopls version";
              }
              {
                label = "golangci-lint";
                cmd = "golangci-lint version";
              }
              {
                label = "nixfmt";
                cmd = "nixfmt --version";
              }
              {
                label = "nix";
                cmd = "nix --version";
              }
            ])
          ];
      };

      rust = devshell.mkShell {
        devshell.name = "rust";
        devshell.packages = [
          rustToolchain
          pkgs.pkg-config
          pkgs.openssl
          pkgs.cmake
          pkgs.python3
          pkgs.cargo-watch
        ];
        env = [
          # devshell runs no stdenv setup hooks, so point pkg-config at
          # OpenSSL's .pc files and rust-analyzer at the sources itself.
          {
            name = "PKG_CONFIG_PATH";
            prefix = "${pkgs.openssl.dev}/lib/pkgconfig";
          }
          {
            name = "RUST_SRC_PATH";
            value = "${rustToolchain}/lib/rustlib/src/rust/library";
          }
        ];
        commands =
          commandsIn "rust" [
            {
              name = "check";
              help = "cargo check";
              command = ''cargo check "$@"'';
            }
            {
              name = "tests";
              help = "cargo test";
              command = ''cargo test "$@"'';
            }
            {
              name = "format";
              help = "cargo fmt";
              command = ''cargo fmt "$@"'';
            }
            {
              name = "lint";
              help = "cargo clippy, warnings are errors";
              command = ''cargo clippy "$@" -- -D warnings'';
            }
            {
              name = "run";
              help = "cargo run";
              command = ''cargo run "$@"'';
            }
            {
              name = "watch-tests";
              help = "check then test on every change";
              command = ''cargo watch -x check -x test "$@"'';
            }
            {
              name = "doc";
              help = "build the docs and open them";
              command = ''cargo doc --open "$@"'';
            }
          ]
          ++ [
            (info "rust" [
              {
                label = "rustc";
                cmd = "rustc --version";
              }
              {
                label = "cargo";
                cmd = "cargo --version";
              }
              {
                label = "clippy";
                cmd = "cargo clippy --version";
              }
              {
                label = "rust-analyzer";
                cmd = "rust-analyzer --version";
              }
            ])
          ];
      };

      zigShell = devshell.mkShell {
        devshell.name = "zig";
        devshell.packages = [
          zig
          pkgs.zls
          pkgs.cmake
          pkgs.pkg-config
        ];
        commands =
          commandsIn "zig" [
            {
              name = "build";
              help = "zig build";
              command = ''zig build "$@"'';
            }
            {
              name = "run";
              help = "zig build run";
              command = ''zig build run "$@"'';
            }
            {
              name = "tests";
              help = "zig build test";
              command = ''zig build test "$@"'';
            }
            {
              name = "format";
              help = "zig fmt on this folder";
              command = ''zig fmt "''${@:-.}"'';
            }
          ]
          ++ [
            (info "zig" [
              {
                label = "zig";
                cmd = "zig version";
              }
              {
                label = "zls";
                cmd = "zls --version";
              }
            ])
          ];
      };

      qml = devshell.mkShell {
        devshell.name = "qml";
        devshell.packages = [
          # build
          pkgs.cmake
          pkgs.ninja
          pkgs.pkg-config
          pkgs.just
          # Qt 6
          pkgs.qt6.qtbase
          pkgs.qt6.qtdeclarative
          pkgs.qt6.qtsvg
          pkgs.qt6.qtwayland
          pkgs.qt6.qtshadertools
          pkgs.spirv-tools
          # Quickshell's dependencies
          pkgs.cli11
          pkgs.breakpad
          pkgs.jemalloc
          pkgs.wayland
          pkgs.wayland-protocols
          pkgs.wayland-scanner
          pkgs.libxcb
          pkgs.pipewire
          pkgs.pam
          pkgs.libdrm
          pkgs.libgbm
          # tools
          pkgs.clang-tools
          pkgs.clang
          pkgs.gdb
          pkgs.valgrind
        ];
        env = [
          {
            name = "QT_QPA_PLATFORM";
            value = "wayland";
          }
          {
            name = "QML_IMPORT_TRACE";
            value = "1";
          }
          {
            name = "CMAKE_PREFIX_PATH";
            prefix = lib.makeSearchPath "lib/cmake" [
              pkgs.qt6.qtbase
              pkgs.qt6.qtdeclarative
              pkgs.qt6.qtsvg
              pkgs.qt6.qtwayland
              pkgs.qt6.qtshadertools
            ];
          }
        ];
        commands =
          commandsIn "qml" [
            {
              name = "configure";
              help = "cmake -G Ninja into build/ (first argument: build type, default RelWithDebInfo)";
              command = ''
                build_type="''${1:-RelWithDebInfo}"
                shift || true
                cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@"
              '';
            }
            {
              name = "build";
              help = "cmake --build build";
              command = ''cmake --build build "$@"'';
            }
            {
              name = "clean";
              help = "remove build/";
              command = "rm -rf build";
            }
            {
              name = "install-build";
              help = "cmake --install build";
              command = ''cmake --install build "$@"'';
            }
            {
              name = "format";
              help = "just fmt";
              command = ''just fmt "$@"'';
            }
          ]
          ++ [
            (info "qml" [
              {
                label = "qt";
                cmd = "qmake -query QT_VERSION";
              }
              {
                label = "cmake";
                cmd = "cmake --version";
              }
              {
                label = "ninja";
                cmd = "ninja --version";
              }
              {
                label = "clang";
                cmd = "clang --version";
              }
            ])
          ];
      };
    in
    {
      devShells = {
        inherit go rust qml;
        zig = zigShell;
        # This repository is Go + Nix.
        default = lib.mkDefault go;
      };
    };
}
