/**
 * `--user` / `--group` started as anything but root: there is no one to switch to.
 *
 * @example
 * try { dropPrivileges({ user: "www-data" }); } catch (e) { if (e instanceof PrivilegesError) usage(e.message); }
 */
export class PrivilegesError extends Error {
  readonly code = "ERR_PRIVILEGES";
  constructor(message: string) {
    super(message);
    this.name = "PrivilegesError";
  }
}

/**
 * Switches this process to `user` and `group` (names or ids) once its socket is bound, as
 * nginx's and php-fpm's workers do: a port below 1024 or a socket in a root-owned directory
 * needs root to bind, serving it must not. The group goes first (and the supplementary
 * groups are reduced to it), since after setuid nothing could change it. With a user and no
 * group, the group stays root's: pass both.
 *
 * @example
 * dropPrivileges({ user: "www-data", group: "www-data" });
 */
export function dropPrivileges(options: { user?: string | number; group?: string | number }): void {
  const { user, group } = options;
  if (user === undefined && group === undefined) return;
  if (process.getuid?.() !== 0) {
    throw new PrivilegesError(
      `--user/--group switch a process started as root, but this one runs as uid ${process.getuid?.()}; drop the options or start it as root (for example from systemd with User= unset)`,
    );
  }
  try {
    if (group !== undefined) {
      process.setgid!(group);
      process.setgroups!([group]);
    }
    if (user !== undefined) process.setuid!(user);
  } catch (error) {
    throw new PrivilegesError(
      `cannot switch to ${user !== undefined ? `user ${user}` : ""}${group !== undefined ? ` group ${group}` : ""}: ${(error as Error).message}; check that they exist (getent passwd / getent group)`,
    );
  }
}
