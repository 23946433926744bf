import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { maskEmail, maskPhone, maskPostcode } from './masking.js';

/** The contact details on file, masked: enough to recognise them, not enough to leak them. */
export const contactDetailsTool = defineTool({
  name: 'contact_details',
  description: 'The email, phone number and postcode the bank holds for the customer, masked.',
  parameters: z.strictObject({}),
  risk: 'read',
  async execute(_args, execution) {
    const details = await execution.adapter.getContactDetails(execution.customerId);
    const masked = {
      email: maskEmail(details.email),
      phone: maskPhone(details.phone),
      postcode: maskPostcode(details.postcode),
    };
    return {
      tool: 'contact_details',
      status: 'ok',
      facts: [
        `Email on file: ${masked.email}`,
        `Phone on file: ${masked.phone}`,
        `Postcode on file: ${masked.postcode}`,
      ],
      data: masked,
    };
  },
});
