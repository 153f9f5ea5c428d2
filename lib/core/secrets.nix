# Secret discovery for agenix, with builtins only.
#
# Every regular file named <name>.age directly inside a folder becomes the
# secret <name>: agenix decrypts it at activation to /run/agenix/<name>.
# Sub-folders, symlinks, other files and a file named just ".age" are left
# out. Only the encrypted files are referenced; no secret value is read.
let
  # { "<file name>" = "<type>"; } as builtins.readDir returns it
  # → { "<secret name>" = "<file name>"; }
  fromEntries =
    entries:
    builtins.listToAttrs (
      builtins.concatMap (
        file:
        let
          m = builtins.match "(.+)\\.age" file;
        in
        if entries.${file} == "regular" && m != null then
          [
            {
              name = builtins.head m;
              value = file;
            }
          ]
        else
          [ ]
      ) (builtins.attrNames entries)
    );

  # dir: a path (or an absolute path string) → { "<secret name>" = <path of the .age file>; }
  discover =
    dir:
    let
      d = if builtins.isPath dir then dir else /. + dir;
    in
    if !(builtins.isPath dir || (builtins.isString dir && builtins.substring 0 1 dir == "/")) then
      throw ''
        secrets.secretsDir must be a path
          fix: write it as a path, e.g. secretsDir = ./secrets;''
    else if !(builtins.pathExists d) then
      throw ''
        secrets.secretsDir = ${toString dir} does not exist
          fix: create the folder with your *.age files, or set secretsDir = null''
    else if (builtins.readDir (dirOf d)).${baseNameOf d} or "directory" != "directory" then
      throw ''
        secrets.secretsDir = ${toString dir} is not a folder
          fix: point it at the folder that holds the *.age files''
    else
      builtins.mapAttrs (_: file: d + "/${file}") (fromEntries (builtins.readDir d));
in
{
  inherit discover fromEntries;
}
