/** What one provisioning step did; a run where every step is `unchanged` changed nothing. */
export type StepAction = 'created' | 'unchanged' | 'replaced' | 'recovered';

export interface ProvisionStep {
  readonly name: string;
  readonly action: StepAction;
  readonly detail: string;
}
