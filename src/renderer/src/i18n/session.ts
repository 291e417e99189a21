import { defineMessages } from './define'

export const sessionMessages = defineMessages(
  {
    sessionNone: 'No connection profile is active.',
    sessionChecking: 'Connecting to {name}…',
    sessionOk: 'Connected to {name} as {user} ({role})',
    sessionUnreachable: '{name} cannot be reached; showing the last known data. Trying again.',
    sessionAuthRejected: '{name} refused the credentials of this profile.',
    live_off: 'Live updates off',
    live_connecting: 'Connecting live updates…',
    live_connected: 'Live',
    live_reconnecting: 'Live updates lost; reconnecting…',
    retryNow: 'Try again now',
    notConnected: 'Connect to a fleet backend first: pick or create a profile under Connections.',
    navFleet: 'Fleet',
    navFirmware: 'Firmware',
    navPolicies: 'Policies',
    navJobs: 'Jobs',
    navAudit: 'Audit log',
    navCertificates: 'Certificates',
    stale: 'Stale: last fetched {at}',
    refresh: 'Refresh'
  },
  {
    sessionNone: 'アクティブな接続プロファイルがありません。',
    sessionChecking: '{name} に接続しています…',
    sessionOk: '{name} に {user}（{role}）として接続中',
    sessionUnreachable: '{name} に到達できません。最後に取得したデータを表示しています。再試行中です。',
    sessionAuthRejected: '{name} がこのプロファイルの認証情報を拒否しました。',
    live_off: 'ライブ更新オフ',
    live_connecting: 'ライブ更新に接続しています…',
    live_connected: 'ライブ',
    live_reconnecting: 'ライブ更新が切断されました。再接続しています…',
    retryNow: '今すぐ再試行',
    notConnected: 'まずフリートバックエンドに接続してください。「接続」でプロファイルを選択または作成します。',
    navFleet: 'フリート',
    navFirmware: 'ファームウェア',
    navPolicies: 'ポリシー',
    navJobs: 'ジョブ',
    navAudit: '監査ログ',
    navCertificates: '証明書',
    stale: '古いデータ：最終取得 {at}',
    refresh: '更新'
  }
)
