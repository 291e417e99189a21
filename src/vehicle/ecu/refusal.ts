import { describeNrc } from '../../shared/uds'

/**
 * A request the ECU turns down: the server answers 7F SID NRC. `why` is for logs and tests only;
 * UDS carries nothing but the code.
 */
export class Refusal extends Error {
  override readonly name = 'Refusal'

  constructor(
    readonly nrc: number,
    why: string
  ) {
    super(`${describeNrc(nrc).name}: ${why}`)
  }
}

export const refuse = (nrc: number, why: string): Refusal => new Refusal(nrc, why)
