import type { INodeProperties } from 'n8n-workflow';
import { locatorField } from '../../../../shared';

/** Picked from the worker's connectors, or typed (a new name creates a connector). */
export const connectorField: INodeProperties = locatorField({ displayName: 'Connector Name', name: 'connector', method: 'searchConnectors', placeholder: 'orders-file-sink' });
