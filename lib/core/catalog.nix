# Catalog helpers: plain data derived from modules/catalog.toml.
#
# Used by the flake (nixosModules, homeModules), by lib/default.nix
# (mkSystem) and by the validator (flags, profiles, dependencies).
{ catalog }:
let
  inherit (builtins)
    attrNames
    concatMap
    filter
    listToAttrs
    map
    ;
  util = import ./util.nix;

  nixosNames = attrNames (catalog.nixos or { });
  homeNames = attrNames (catalog.home or { });

  # "input.attr.path" -> [ "input" "attr" "path" ]
  importPath = util.splitDots;

  describe =
    section: name:
    let
      e = catalog.${section}.${name};
    in
    e
    // {
      inherit name;
      importPaths = map importPath (e.imports or [ ]);
      requires = e.requires or [ ];
      home = e.home or [ ];
    };

  nixos = listToAttrs (
    map (n: {
      name = n;
      value = describe "nixos" n;
    }) nixosNames
  );
  home = listToAttrs (
    map (n: {
      name = n;
      value = describe "home" n;
    }) homeNames
  );

  flagEntries = filter (n: nixos.${n} ? flag) nixosNames;
in
{
  inherit nixos home;

  # Every module flag (sorted).
  flags = util.sortStrings (map (n: nixos.${n}.flag) flagEntries);

  # flag -> the entry that declares it.
  byFlag = listToAttrs (
    map (n: {
      name = nixos.${n}.flag;
      value = nixos.${n};
    }) flagEntries
  );

  # Names of home entries of kind "profile" (sorted).
  profiles = util.sortStrings (filter (n: home.${n}.kind == "profile") homeNames);

  nixosHardware = catalog.nixosHardware or [ ];

  # Every path the catalog points at, relative to the repository root.
  paths = map (n: nixos.${n}.path) nixosNames ++ map (n: home.${n}.path) homeNames;

  # Every flake input a catalog entry imports from ([ "input" "attr" ... ]).
  inputPaths = util.unique (
    concatMap (n: nixos.${n}.importPaths) nixosNames ++ concatMap (n: home.${n}.importPaths) homeNames
  );
}
