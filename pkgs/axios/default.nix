# The axios command, built from this repository's Go sources.
#
# vendorHash is the NAR hash of `go mod vendor`; after changing go.mod or
# go.sum run scripts/update-vendor-hash (a Go test fails until you do).
{
  lib,
  stdenv,
  buildGoModule,
  installShellFiles,
  version ? "0.1.0",
}:
let
  root = ../..;
in
buildGoModule {
  pname = "axios";
  inherit version;

  # Only what `go build` reads: Go sources, the module files and the data
  # files embedded with go:embed (a Go test keeps this list complete).
  src = lib.fileset.toSource {
    inherit root;
    fileset = lib.fileset.unions [
      ../../go.mod
      ../../go.sum
      (lib.fileset.fileFilter (file: file.hasExt "go") root)
      ../../modules/catalog.toml
      ../../lib/rules.toml
      ../../lib/timezones.txt
      ../../lib/ports.toml
      ../../internal/migrate/eval.nix
    ];
  };

  vendorHash = "sha256-pjzWdhhtScykPkg7sXAVUr85+KAyC/9ubWNo21p1wsw=";

  # axios and its helper programs (internal/helper), installed side by side:
  # axios mcp runs axios-mcp, the form of axios init is axios-init-form,
  # axios pwa runs axios-pwa, axios wallpaper runs axios-wallpaper.
  subPackages = [
    "cmd/axios"
    "cmd/axios-mcp"
    "cmd/axios-init-form"
    "cmd/axios-pwa"
    "cmd/axios-wallpaper"
  ];

  # A static binary starts faster (no dynamic loader), and nothing needs cgo:
  # os/user and net fall back to their pure-Go implementations.
  env.CGO_ENABLED = "0";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  nativeBuildInputs = [ installShellFiles ];

  # The Go tests evaluate Nix and read fixtures from the whole repository;
  # CI runs them with scripts/test, not inside this sandbox.
  doCheck = false;

  postInstall = lib.optionalString (stdenv.buildPlatform.canExecute stdenv.hostPlatform) ''
    installShellCompletion --cmd axios \
      --bash <($out/bin/axios completion bash) \
      --zsh <($out/bin/axios completion zsh) \
      --fish <($out/bin/axios completion fish)
  '';

  meta = {
    description = "The axiOS command: check, plan, rebuild and manage an axiOS configuration";
    homepage = "https://github.com/kcalvelli/axios";
    license = lib.licenses.mit;
    mainProgram = "axios";
    platforms = lib.platforms.linux;
  };
}
