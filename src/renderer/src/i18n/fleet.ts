import { defineMessages } from './define'

export const fleetMessages = defineMessages({}, {})
