/** An IAM policy document, as a template or AWS writes it, and a policy by its name. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Statement[];
}

export type Statement = Readonly<Record<string, unknown>>;

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}
