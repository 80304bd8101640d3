import { describe, expect, it } from 'vitest';
import { handlebarsToLiquid } from '#cli/import/pinpoint/index.ts';

describe('Pinpoint message variables as Liquid', () => {
  it('reads user attributes, endpoint attributes and metrics from the profile attributes, empty when absent', () => {
    const result = handlebarsToLiquid('Hi {{User.UserAttributes.FirstName}}, {{Attributes.Favorite-Color}} x{{Metrics.orders}}');

    expect(result.text).toBe(
      'Hi {{ attributes.FirstName | default: "" }}, {{ attributes.Favorite_Color | default: "" }} x{{ attributes.orders | default: "" }}',
    );
    expect(result.fromProfile).toEqual({ attributes: 'attributes' });
    expect(result.untranslated).toEqual([]);
  });

  it("uses the template's default substitutions", () => {
    const result = handlebarsToLiquid('Hi {{User.UserAttributes.FirstName}}', { 'User.UserAttributes.FirstName': 'there' });

    expect(result.text).toBe('Hi {{ attributes.FirstName | default: "there" }}');
    expect(handlebarsToLiquid('{{Attributes.nick}}', { 'Attributes.nick': 'the "best"' }).text).toBe(`{{ attributes.nick | default: 'the "best"' }}`);
  });

  it('translates if, unless, else and the case helpers', () => {
    const result = handlebarsToLiquid('{{#if Attributes.plan}}{{upper Attributes.plan}}{{else}}none{{/if}}{{#unless User.UserId}}?{{/unless}}');

    expect(result.text).toBe(
      '{% if attributes.plan %}{{ attributes.plan | default: "" | upcase }}{% else %}none{% endif %}{% unless customerId %}?{% endunless %}',
    );
    expect(result.fromProfile).toEqual({ attributes: 'attributes', customerId: 'customerId' });
  });

  it("reads the address, locale and time zone from the customer's profile", () => {
    const result = handlebarsToLiquid('{{Address}} {{Demographic.Locale}} {{Demographic.Timezone}}');

    expect(result.text).toBe('{{ address | default: "" }} {{ customerLocale | default: "" }} {{ customerTimezone | default: "" }}');
    expect(result.fromProfile).toEqual({ address: 'email', customerLocale: 'locale', customerTimezone: 'timezone' });
  });

  it('lists each block and helper it cannot translate, and keeps them only inside Liquid comments', () => {
    const result = handlebarsToLiquid('{{#each Attributes.items}}<li>{{this}}</li>{{/each}}{{formatDate User.UserAttributes.since}}');

    expect(result.untranslated).toEqual(['{{#each Attributes.items}}', '{{this}}', '{{/each}}', '{{formatDate User.UserAttributes.since}}']);
    expect(result.text).toBe(
      '{% comment %}untranslated: {{#each Attributes.items}}{% endcomment %}<li>{% comment %}untranslated: {{this}}{% endcomment %}</li>{% comment %}untranslated: {{/each}}{% endcomment %}{% comment %}untranslated: {{formatDate User.UserAttributes.since}}{% endcomment %}',
    );
  });

  it('drops Handlebars comments and keeps literal Liquid markers literal', () => {
    const result = handlebarsToLiquid('a{{! note }}b {% not a tag %}');

    expect(result.text).toBe('ab {% raw %}{%{% endraw %} not a tag {% raw %}%}{% endraw %}');
  });
});
