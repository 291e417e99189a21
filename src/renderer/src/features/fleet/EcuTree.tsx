import { useState } from 'react'
import type { VehicleDetail } from '../../../../shared/fleet/registry'
import { useT } from '../../i18n'

interface Node {
  id: string
  label: string
  detail: string
  children: Node[]
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`

/** Gateway → zonal gateways → ECUs, in the order the vehicle reported them. */
function treeOf(vehicle: VehicleDetail, words: { gateway: string; notReported: string; ecus: (n: number) => string }): Node {
  const zones = new Map<string, VehicleDetail['ecus']>()
  for (const ecu of vehicle.ecus) zones.set(ecu.zonalGateway, [...(zones.get(ecu.zonalGateway) ?? []), ecu])
  const gw = vehicle.gateway
  return {
    id: 'GATEWAY',
    label: words.gateway,
    detail: gw ? `${hex(gw.logicalAddress)} · ${gw.hardware} · ${gw.software}` : words.notReported,
    children: [...zones].map(([zone, ecus]) => ({
      id: zone,
      label: zone,
      detail: words.ecus(ecus.length),
      children: ecus.map((e) => ({
        id: `${zone}/${e.id}`,
        label: e.id,
        detail: [hex(e.logicalAddress), e.hardware, e.software, e.serial].filter(Boolean).join(' · '),
        children: []
      }))
    }))
  }
}

/** The visible nodes in order, with their level and parent, for keyboard moves. */
function visible(root: Node, open: ReadonlySet<string>) {
  const out: { node: Node; level: number; parent?: Node }[] = []
  const walk = (node: Node, level: number, parent?: Node) => {
    out.push({ node, level, parent })
    if (open.has(node.id)) for (const child of node.children) walk(child, level + 1, node)
  }
  walk(root, 1)
  return out
}

const domId = (id: string) => `ecu-node-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`

/**
 * The vehicle's ECU tree as an ARIA tree: Up and Down move, Right opens or goes in, Left closes
 * or goes up, Home and End jump; one item is in the tab order at a time.
 */
export function EcuTree({ vehicle }: { vehicle: VehicleDetail }) {
  const t = useT()
  const root = treeOf(vehicle, { gateway: t('fleetGateway'), notReported: t('fleetNotReported'), ecus: (n) => t('fleetEcuCount', { count: n }) })
  const [open, setOpen] = useState<Set<string>>(() => new Set([root.id, ...root.children.map((c) => c.id)]))
  const [focused, setFocused] = useState(root.id)
  const items = visible(root, open)

  const focus = (id: string) => {
    setFocused(id)
    document.getElementById(domId(id))?.focus()
  }
  const toggle = (id: string, to: boolean) => setOpen((s) => (to ? new Set(s).add(id) : new Set([...s].filter((x) => x !== id))))
  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = items.findIndex((i) => i.node.id === focused)
    const item = items[at]
    if (!item) return
    const hasChildren = item.node.children.length > 0
    const isOpen = open.has(item.node.id)
    if (e.key === 'ArrowDown') focus(items[Math.min(items.length - 1, at + 1)]!.node.id)
    else if (e.key === 'ArrowUp') focus(items[Math.max(0, at - 1)]!.node.id)
    else if (e.key === 'Home') focus(items[0]!.node.id)
    else if (e.key === 'End') focus(items.at(-1)!.node.id)
    else if (e.key === 'ArrowRight' && hasChildren) {
      if (isOpen) focus(item.node.children[0]!.id)
      else toggle(item.node.id, true)
    } else if (e.key === 'ArrowLeft') {
      if (hasChildren && isOpen) toggle(item.node.id, false)
      else if (item.parent) focus(item.parent.id)
    } else if ((e.key === 'Enter' || e.key === ' ') && hasChildren) toggle(item.node.id, !isOpen)
    else return
    e.preventDefault()
  }

  const render = (node: Node, level: number): React.JSX.Element => {
    const hasChildren = node.children.length > 0
    const isOpen = open.has(node.id)
    return (
      <li
        key={node.id}
        id={domId(node.id)}
        role="treeitem"
        aria-level={level}
        aria-expanded={hasChildren ? isOpen : undefined}
        aria-selected={focused === node.id}
        aria-labelledby={`${domId(node.id)}-label`}
        tabIndex={focused === node.id ? 0 : -1}
        onFocus={(e) => e.target === e.currentTarget && setFocused(node.id)}
        onClick={(e) => {
          e.stopPropagation()
          focus(node.id)
          if (hasChildren) toggle(node.id, !isOpen)
        }}
      >
        <span id={`${domId(node.id)}-label`} className="ecu-node">
          <span className="ecu-toggle" aria-hidden="true">
            {hasChildren ? (isOpen ? '▾' : '▸') : ''}
          </span>
          <strong>{node.label}</strong> <span className="ecu-detail">{node.detail}</span>
        </span>
        {hasChildren && isOpen && <ul role="group">{node.children.map((c) => render(c, level + 1))}</ul>}
      </li>
    )
  }

  return (
    <ul role="tree" aria-label={t('fleetEcuTree', { vin: vehicle.vin })} className="ecu-tree" onKeyDown={onKeyDown}>
      {render(root, 1)}
    </ul>
  )
}
