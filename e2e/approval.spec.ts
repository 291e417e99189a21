import { randomBytes } from 'node:crypto'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { apiClient } from '../test/support/https-client'
import { expect, test } from './sandbox-fixture'
import { activeProfile, showScreen } from './steps'

// Four-eyes approval as its two people live it: a colleague (e2e-admin, through the API) makes a
// job from a template that asks for approval; the console's user sees who must act, cannot
// reject without a reason, approves, and the job goes on. An admin also lists a model whose
// every job needs approval, and takes it off again.
test('approve a colleague’s job that waits for approval; require approval for a model; in Japanese too', async ({ page, openConsole, sandbox }) => {
  test.setTimeout(120_000)
  await openConsole(page)
  const colleague = sandbox.mintAdminToken()
  const profile = await activeProfile(page)
  const api = apiClient(profile.backendUrl, profile.caCertPem!)
  const vin = (await api.get('/api/v1/vehicles?model=model_a&limit=1', { token: colleague })).json.vehicles[0].vin as string
  const { sha256 } = (await api.post('/api/v1/artifacts', { token: colleague, body: randomBytes(20_000) })).json
  const version = `8.${Date.now() % 1000}.0`
  const release = (
    await api.post('/api/v1/releases', { token: colleague, json: { model: 'model_a', ecu: 'ECU_002', version, hardware: [hardwareFor('model_a', 2)], artifactSha256: sha256 } })
  ).json
  await api.post(`/api/v1/releases/${release.id}/publish`, { token: colleague })
  const policy = (
    await api.post('/api/v1/policies', {
      token: colleague,
      json: {
        name: `Four eyes ${version}`,
        kind: 'template',
        requireApproval: true,
        spec: { releaseId: release.id, selection: { vins: [vin] }, rollout: { waves: [{ size: { percent: 100 } }] } }
      }
    })
  ).json
  const job = (await api.post(`/api/v1/policies/${policy.id}/jobs`, { token: colleague, json: { name: `ECU_002 ${version} for ${vin}` } })).json
  expect(job.state).toBe('waiting_approval')

  await showScreen(page, 'Jobs')
  await page.getByRole('button', { name: 'Refresh' }).click()
  await page.getByRole('button', { name: `ECU_002 ${version} for ${vin}` }).click()
  await expect(page.getByLabel('State: Waiting for approval')).toBeVisible()
  const approval = page.getByRole('region', { name: 'Approval' })
  await expect(approval.getByRole('status')).toHaveText(
    `Waiting for approval (policy Four eyes ${version} asks for it): no vehicle is notified until a person with role admin, release-manager, other than its creator e2e-admin, approves it.`
  )
  const reject = approval.getByRole('button', { name: 'Reject' })
  await expect(reject).toBeDisabled()
  await expect(reject).toHaveAttribute('title', 'Say why in the comment to reject.')

  // Japanese: the same page, in the other language.
  const nav = page.getByRole('navigation')
  await nav.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  try {
    await nav.getByRole('button', { name: 'ジョブ' }).click()
    await expect(page.getByLabel('状態：承認待ち')).toBeVisible()
    await expect(page.getByRole('region', { name: '承認' }).getByRole('button', { name: '承認' })).toBeEnabled()
  } finally {
    await nav.getByRole('button', { name: '設定' }).click()
    await page.getByLabel('言語').selectOption('system')
    await showScreen(page, 'Jobs')
  }

  await approval.getByLabel('Comment (required to reject)').fill('release notes read, one vehicle first')
  await approval.getByRole('button', { name: 'Approve' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Approved by admin (admin)' })).toContainText('release notes read, one vehicle first')
  await expect(page.getByLabel(/^State: (Scheduled|Running|Completed)$/)).toBeVisible()
  expect((await api.get(`/api/v1/jobs/${job.id}`, { token: colleague })).json.approval).toMatchObject({ decision: 'approved', by: 'admin' })
  await page.screenshot({ path: 'test-results/e2e/approval.png', fullPage: true })

  // A model whose every job needs approval: listed, then taken off, with the keyboard.
  await showScreen(page, 'Policies')
  const models = page.getByRole('region', { name: 'Models that need approval' })
  await expect(models).toContainText('No model needs approval')
  await models.getByLabel('Model').fill('model_e2e')
  await page.keyboard.press('Enter')
  await expect(models.getByRole('list', { name: 'Models that need approval' })).toContainText('model_e2e')
  await models.getByRole('button', { name: 'Stop requiring approval for model_e2e' }).click()
  await expect(models).toContainText('No model needs approval')
})
