# The usual XDG user directories, created at boot for every axiOS account.
{ config, lib, ... }:
let
  cfg = config.axios.users;
  dirs = [
    "Desktop"
    "Documents"
    "Downloads"
    "Music"
    "Pictures"
    "Videos"
    "Public"
    "Templates"
  ];
  rulesFor =
    name:
    let
      u = config.users.users.${name};
    in
    map (d: "d ${u.home}/${d} 0755 ${name} ${u.group} -") dirs;
in
{
  config = lib.mkIf cfg.createXdgDirs {
    systemd.tmpfiles.rules = lib.concatMap rulesFor (lib.attrNames cfg.accounts);
  };
}
