import type { DidCatalog } from '../../shared/uds'
import { DoipTransport, type DoipTransportOptions } from './doip/doip-transport'
import { createDiagSession, type DiagSession } from './session'

export interface DoipSessionOptions {
  didCatalog: DidCatalog
  onKeepAliveError?(target: number, err: Error): void
}

/**
 * A UDS session over DoIP, connected and routing-activated before it is returned, so an
 * unreachable or refusing vehicle shows at once. The Workshop screen and otactl open theirs here.
 */
export async function openDoipSession(target: DoipTransportOptions, options: DoipSessionOptions): Promise<{ session: DiagSession; entityAddress: number | undefined }> {
  const transport = await DoipTransport.open(target)
  const session = createDiagSession(transport, options)
  return { session, entityAddress: transport.entityAddress }
}
