import { useEffect } from 'react'
import { useT } from '../../i18n'
import { useSession } from '../../store/session'
import { ReleaseList } from './ReleaseList'
import { ReleaseSets } from './ReleaseSets'
import { SigningPanel } from './SigningPanel'
import { UploadPanel } from './UploadPanel'
import { useFirmware } from './firmware-store'
import './firmware.css'

/** Firmware: upload an image, describe the release, sign the targets list here, publish per model. */
export function FirmwareScreen() {
  const t = useT()
  const load = useFirmware((s) => s.load)
  // Another profile or a fresh sign-in means another backend: ask it again.
  const session = useSession((s) => `${s.status?.profileId}:${s.status?.backend}:${s.status?.identity?.role}`)
  useEffect(() => void load(), [load, session])
  return (
    <div className="fw-screen">
      <h1>{t('fwTitle')}</h1>
      <UploadPanel />
      <SigningPanel />
      <ReleaseList />
      <ReleaseSets />
    </div>
  )
}
