import fc from 'fast-check';
import { it } from 'vitest';
import type { Agent } from '../../../agents/types.ts';
import { agentProperties, hiddenHaveNoSay } from './world.ts';

/**
 * Registers, in the calling describe block, the property scenarios the agents spec gives each of the
 * "b" agents, titled as the spec titles them with the agent's `name`. `hiddenRecordsHaveNoSay` adds "records
 * the viewer cannot see have no say", the property for agents that read only intents and decisions;
 * the spec states that point in its own words for the other agents, and their test files test it.
 */
export function agentPropertyScenarios(name: string, agent: Agent, o: { hiddenRecordsHaveNoSay: boolean }): void {
  const props = agentProperties(agent);
  it(`Scenario: ${name} never shows records the viewer cannot see (property)`, () => fc.assert(props.visibility));
  if (o.hiddenRecordsHaveNoSay) it(`Scenario: records the viewer cannot see have no say in ${name} (property)`, () => fc.assert(hiddenHaveNoSay(agent)));
  it(`Scenario: ${name} never returns a declined proposal (property)`, () => fc.assert(props.declined));
  it(`Scenario: an ample budget does not change what ${name} proposes, and a cut run still proposes well (property)`, () => fc.assert(props.budget));
  it(`Scenario: ${name} does not depend on the order of members and records (property)`, () => fc.assert(props.orderFree));
  it(`Scenario: ${name} gives the same output for the same input and now (property)`, () => fc.assert(props.deterministic));
}
