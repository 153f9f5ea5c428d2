# Host discovery for mkHosts: one host per hosts/<name>.toml, with an
# optional folder hosts/<name>/ holding hardware.nix and more .nix modules.
let
  inherit (builtins)
    attrNames
    filter
    fromTOML
    listToAttrs
    pathExists
    readDir
    readFile
    ;
  util = import ./util.nix;
in
{
  # dir -> { <name> = { name; host; hardwareConfigPath; extraModules; }; }
  discoverHosts =
    dir:
    let
      entries = readDir dir;
      tomlFiles = filter (n: entries.${n} == "regular" && util.hasSuffix ".toml" n) (
        attrNames entries
      );
      describe =
        file:
        let
          name = util.removeSuffix ".toml" file;
          folder = dir + "/${name}";
          hasFolder = (entries.${name} or null) == "directory";
          folderEntries = if hasFolder then readDir folder else { };
          nixFiles = filter (
            n: folderEntries.${n} == "regular" && util.hasSuffix ".nix" n && n != "hardware.nix"
          ) (attrNames folderEntries);
        in
        {
          inherit name;
          value = {
            inherit name;
            host = fromTOML (readFile (dir + "/${file}"));
            hardwareConfigPath =
              if hasFolder && pathExists (folder + "/hardware.nix") then folder + "/hardware.nix" else null;
            extraModules = map (n: folder + "/${n}") (util.sortStrings nixFiles);
          };
        };
    in
    listToAttrs (map describe tomlFiles);
}
