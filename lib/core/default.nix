# The pure core of axiOS: Nix builtins only, plain values in and out, so
# `nix-instantiate --eval --strict --json` can run it without nixpkgs.
#
#   import ./lib/core { }                  # reads the repository's TOML files
#   import ./lib/core { catalog = …; rules = …; }   # parsed attribute sets
let
  # The repository's files, read once per evaluation however often the
  # core is called (a default argument is evaluated again at every call).
  files = {
    catalog = builtins.fromTOML (builtins.readFile ../../modules/catalog.toml);
    rules = builtins.fromTOML (builtins.readFile ../rules.toml);
    # lib/timezones.txt: one IANA name a line, "#" comments (tools/gentz).
    timeZones = builtins.filter (
      l: builtins.isString l && l != "" && builtins.substring 0 1 l != "#"
    ) (builtins.split "\n" (builtins.readFile ../timezones.txt));
    ports = builtins.fromTOML (builtins.readFile ../ports.toml);
  };
in
{
  catalog ? files.catalog,
  rules ? files.rules,
  timeZones ? files.timeZones,
  ports ? files.ports,
}:
let
  util = import ./util.nix;
  cat = import ./catalog.nix { inherit catalog; };
  validate = import ./validate.nix { inherit rules cat timeZones; };
  hosts = import ./hosts.nix;
  plan = import ./plan.nix { inherit cat; };
  deploy = import ./deploy.nix { inherit rules; };
  exposure = import ./exposure.nix { inherit ports cat; };
  vocabulary = import ./vocabulary.nix { inherit rules cat; };
in
{
  inherit (validate) checkHost;
  inherit (hosts) discoverHosts;
  inherit (plan) hostSettings;
  inherit (deploy) deploySettings;
  inherit catalog rules timeZones ports;
  # Ports per interface class (lib/ports.toml): report, firewall, default.
  inherit exposure;
  # GPU vendors, NVIDIA driver channels, home profiles: the option types'
  # value lists, read from rules.toml and the catalog (vocabulary.nix).
  inherit vocabulary;
  # Catalog helpers: entries with `importPaths`, flags, profiles, paths …
  catalogInfo = cat;
  inherit (util) levenshtein suggest;
}
