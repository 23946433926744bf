import { describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest } from '../../testing/test-app.js';

async function answeredTurn() {
  const harness = createTestApp();
  const token = await harness.tokenFor('c_123');
  const conversation = (await (
    await harness.app.request('/v1/conversations', jsonRequest('POST', token))
  ).json()) as {
    id: string;
  };
  const turn = (await (
    await harness.app.request(
      `/v1/conversations/${conversation.id}/messages`,
      jsonRequest('POST', token, { text: 'What is the fee?' }),
    )
  ).json()) as { messageId: string };
  const feedbackPath = `/v1/conversations/${conversation.id}/turns/${turn.messageId}/feedback`;
  return { ...harness, token, conversationId: conversation.id, turnId: turn.messageId, feedbackPath };
}

describe('POST /v1/conversations/{id}/turns/{turnId}/feedback', () => {
  it('when the customer rates their answer then it is stored with the turn and audited', async () => {
    const { app, token, feedbackPath, turnId, dependencies, audit } = await answeredTurn();
    const response = await app.request(
      feedbackPath,
      jsonRequest('POST', token, { rating: 'not_helpful', reason: 'too_vague' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ turnId, rating: 'not_helpful', reason: 'too_vague' });
    expect(await dependencies.turnRecords.get(turnId)).toMatchObject({
      rating: 'not_helpful',
      ratingReason: 'too_vague',
    });
    const [rated] = audit.list({ actionPrefix: 'turn.rated' });
    expect(rated).toMatchObject({
      actor: 'c_123',
      details: { turnId, rating: 'not_helpful', reason: 'too_vague' },
    });
  });

  it('when the customer rates again then the rating is replaced, not added', async () => {
    const { app, token, feedbackPath, turnId, dependencies } = await answeredTurn();
    await app.request(feedbackPath, jsonRequest('POST', token, { rating: 'not_helpful', reason: 'other' }));
    const again = await app.request(feedbackPath, jsonRequest('POST', token, { rating: 'helpful' }));
    expect(again.status).toBe(200);
    expect(await dependencies.turnRecords.get(turnId)).toMatchObject({
      rating: 'helpful',
      ratingReason: null,
    });
    const ratings = (await dependencies.turnRecords.list()).records.filter(
      (record) => record.rating !== null,
    );
    expect(ratings).toHaveLength(1);
  });

  it("when another customer rates someone's answer then it is 404 and nothing changes", async () => {
    const { app, feedbackPath, turnId, dependencies, tokenFor } = await answeredTurn();
    const other = await tokenFor('c_456');
    const response = await app.request(feedbackPath, jsonRequest('POST', other, { rating: 'helpful' }));
    expect(response.status).toBe(404);
    expect((await dependencies.turnRecords.get(turnId))?.rating).toBeNull();
  });

  it('when the turn is of another conversation of the same customer then it is 404', async () => {
    const { app, token, turnId } = await answeredTurn();
    const second = (await (await app.request('/v1/conversations', jsonRequest('POST', token))).json()) as {
      id: string;
    };
    const response = await app.request(
      `/v1/conversations/${second.id}/turns/${turnId}/feedback`,
      jsonRequest('POST', token, { rating: 'helpful' }),
    );
    expect(response.status).toBe(404);
  });

  it('when the reason is not on the list or extra fields are sent then it is 400', async () => {
    const { app, token, feedbackPath } = await answeredTurn();
    const freeText = await app.request(
      feedbackPath,
      jsonRequest('POST', token, { rating: 'not_helpful', reason: 'my card 4111 1111 1111 1111 was wrong' }),
    );
    expect(freeText.status).toBe(400);
    const extra = await app.request(
      feedbackPath,
      jsonRequest('POST', token, { rating: 'helpful', comment: 'x' }),
    );
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('when staff without the customer role rate then it is 403', async () => {
    const { app, feedbackPath, tokenFor } = await answeredTurn();
    const analyst = await tokenFor('analyst_1', ['analyst']);
    expect(
      (await app.request(feedbackPath, jsonRequest('POST', analyst, { rating: 'helpful' }))).status,
    ).toBe(403);
  });
});
