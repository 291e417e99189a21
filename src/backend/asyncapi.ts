import { z } from 'zod'
import { TOPICS } from '../shared/protocol/topics'

/** AsyncAPI 3.0 for the device protocol, generated from the topic table (docs/asyncapi.json). */
export function asyncApiDocument(version: string) {
  const channels: Record<string, object> = {}
  const operations: Record<string, object> = {}
  const messages: Record<string, object> = {}
  for (const [name, spec] of Object.entries(TOPICS)) {
    messages[name] = { name, contentType: 'application/json', payload: z.toJSONSchema(spec.message, { io: 'input', unrepresentable: 'any' }) }
    channels[name] = {
      address: spec.pattern,
      description: `${spec.summary}. QoS 1${spec.retained ? ', retained' : ''}.`,
      ...(spec.pattern.includes('{vin}') ? { parameters: { vin: { description: 'The vehicle identification number; a vehicle logs in with it as its MQTT user name' } } } : {}),
      messages: { [name]: { $ref: `#/components/messages/${name}` } }
    }
    // Operations are described from the backend's side: it receives what vehicles send.
    operations[`${name}-${spec.direction}`] = {
      action: spec.direction === 'vehicle-to-backend' ? 'receive' : 'send',
      channel: { $ref: `#/channels/${name}` },
      summary: `${spec.direction.replace(/-/g, ' ')}: ${spec.summary}`
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'OTA fleet device protocol', version, description: 'MQTT 3.1.1 or 5, QoS 1. See docs/protocol.md.' },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages }
  }
}
