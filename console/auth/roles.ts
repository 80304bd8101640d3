/**
 * Who may do what in the console. In AWS the signed-in person's Cognito groups decide; locally the
 * console answers only on loopback, where the machine's user is the operator and may do everything.
 * Each route names the permission it needs (routes.ts), so a page cannot forget to ask.
 */
export const PERMISSIONS = ['view', 'launch', 'redrive', 'erase', 'lift-suppression', 'export'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The console's groups and what each allows. Marketing looks, dry-runs and launches; operators
 * also act on people's data and on dead letters (a redrive's dry run included: it holds the
 * messages for a while). Exporting everything held about a customer is a data-rights request,
 * so it is the operators' too.
 */
export const ROLES = {
  marketing: ['view', 'launch'],
  operators: PERMISSIONS,
} as const satisfies Record<string, readonly Permission[]>;

export type Role = keyof typeof ROLES;
export const CONSOLE_GROUPS = Object.keys(ROLES) as Role[];

export interface Identity {
  /** For the page header and the record of who lifted a suppression; never used to decide. */
  readonly name: string;
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
}

const isRole = (group: string): group is Role => Object.hasOwn(ROLES, group);

/** The identity of a person in these groups; groups that are not the console's grant nothing. */
export function identityOf(name: string, groups: readonly string[]): Identity {
  const roles = groups.filter(isRole);
  return { name, roles, permissions: new Set(roles.flatMap((role) => ROLES[role])) };
}

/** The machine's user on loopback, where the console asks for no login. */
export const LOCAL_OPERATOR: Identity = identityOf('local', ['operators']);
