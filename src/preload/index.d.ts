import type { OtaApi } from '../shared/api'

declare global {
  interface Window {
    ota: OtaApi
  }
}
