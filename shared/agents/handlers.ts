import { ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { getAgent, listAgents } from './registry';
import { agentList, agentListQuery, agentParams, agentView } from './schemas';

export const listAgentsRoute = defineRoute({
  method: 'GET',
  path: 'agents',
  summary: 'List the built-in agents with their role, skills and model policy',
  description: '`?role=` keeps the agents of one role. Any authenticated principal may read the registry.',
  tags: ['agents'],
  auth: { roles: ROLES },
  query: agentListQuery,
  responses: { 200: agentList },
  handler: async ({ query }) => ({ body: { items: listAgents(query.role) } }),
});

export const getAgentRoute = defineRoute({
  method: 'GET',
  path: 'agents/{agentId}',
  summary: 'Read one agent',
  description: 'Answers 404 (code `AgentNotFound`) for an unknown agent id.',
  tags: ['agents'],
  auth: { roles: ROLES },
  params: agentParams,
  responses: { 200: agentView },
  handler: async ({ params }) => ({ body: getAgent(params.agentId) }),
});

export const agentRoutes = [listAgentsRoute, getAgentRoute];
