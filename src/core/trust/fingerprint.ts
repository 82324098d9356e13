import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64Url } from '../crypto/encoding.ts';

/**
 * 256 short, distinct, easy-to-say words: one byte each. Six words carry 48 bits of the key's hash,
 * which makes finding another key with the same fingerprint (to impersonate someone at a vouching
 * meeting) cost about 2^47 key generations.
 */
export const FINGERPRINT_WORDS: readonly string[] = Object.freeze(
  `acorn alder amber anchor apple apricot arch arrow aspen aster badger bamboo banjo barley basil
basket beach beacon bean bear beaver bee beech beet bell berry birch bison blossom boat bonfire
bramble bread breeze brick bridge brook broom bucket buffalo bugle cabin cactus camel candle canoe
canyon cape carrot castle cedar cello chalk cherry chestnut cider clay cliff clover cobalt comet
compass copper coral cotton cove crane creek cricket crow daisy dawn deer delta desert dew dolphin
dove dragon drum dune eagle echo ember falcon fern ferry fiddle field fig finch fir flint flute
forest fossil fox frog garden garlic geyser ginger glacier goat gorge grape gull harbor harp hawk
hazel heron hill honey horizon iris island ivy jade jasmine kayak kelp kettle kite koala lake
lantern larch lark lava lemon lentil lichen lily lime linen lotus lynx magpie mango maple marble
meadow melon mesa mint moon moss moth mountain mule nectar nest nutmeg oak oasis ocean olive onion
orchard orchid otter owl oyster paddle palm panda pansy papaya parrot peach pear pebble pepper petal
pine plum pond poppy prairie puffin quail quartz quill rabbit radish rain raven reed ridge river
robin rose rowan saffron sage salmon sand seal seed shell sierra silk sky slate snow sorrel sparrow
spruce squash star stone stork stream sun swallow swan thistle thyme tide tiger timber toad tomato
topaz trout tulip tundra turnip valley violet walnut wasp water wave whale wheat willow wind wolf
wren yak yarrow zebra zinnia cocoa pumpkin sunflower canary lemur llama moose osprey pelican puma
rhubarb`.split(/\s+/),
);

/**
 * The same 256 places in Spanish: a different word list, not a translation (a word per byte must be
 * short and distinct in its own language). Two people reading in different languages compare the
 * pictures, which are the same in both.
 */
export const FINGERPRINT_WORDS_ES: readonly string[] = Object.freeze(
  `abeja abeto aceite acero agua águila aguja ajo alba alce alga almendra alondra amapola ancla anguila
anillo arado araña árbol arce arcilla arena arpa arroz avellana avena avispa azafrán azúcar bahía
ballena bambú banco barca barro bellota berro bisonte boca bosque bota brisa brújula búho burro
caballo cabra cacao cactus café caimán calabaza cama camello camino campana campo canal canela canoa
cantera caña caracol carbón cardo carpa casa castaña castor cebada cebolla cedro cereza cerro cesta
chopo cielo cierva ciruela cisne clavel cobre cohete col colina cometa concha conejo copa coral
cordero cuerda cueva delfín diamante duna encina enebro erizo escoba espiga estrella faro fresa
fresno fuente gallo ganso garza gato girasol globo golondrina gorrión grano granja grillo grulla
guinda haba halcón harina helecho hierba higo hoja hongo hormiga huerto huevo humo iris isla jabón
jaguar jardín jarra jazmín jirafa junco lago lana langosta laurel lava lechuga lechuza lenteja león
libro lima limón lince lino lirio llama lluvia lobo loro luna madera maíz malva manzana mar mariposa
mármol melón menta miel mimbre mirlo molino montaña mora musgo nabo naranja nido niebla nieve nogal
nube nuez olivo ola olmo oro oruga oso oveja paja pájaro palma paloma pan pantera papaya pato pavo
pera perdiz perla pez pino piña plata playa pluma pozo prado puente puma queso rana raíz rama rayo
río roble roca rosa rubí sal salmón salvia sapo sauce selva semilla sierra sol sombra tapir té tejón
tigre tilo tomate tomillo topo tortuga trébol trigo trucha tulipán uva vaca valle vela viento
violeta yegua zorro zarza`.split(/\s+/),
);

/** 64 single-code-point emoji: six bits each, for people who compare pictures more easily than words. */
export const FINGERPRINT_EMOJI: readonly string[] = Object.freeze(
  '🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🍍 🥝 🥕 🌽 🥔 🍄 🌰 🍞 🧀 🥚 🐝 🐞 🦋 🐌 🐢 🐍 🦎 🐙 🦀 🐟 🐬 🐳 🦉 🦆 🦅 🐓 🐧 🐦 🦔 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐰 🌵 🌲 🌳 🌴 🌻 🌷 🌹 🍀 🌙 🌞 ⭐ 🌈 🔥 💧'.split(' '),
);

export class FingerprintError extends Error {
  override name = 'FingerprintError';
}

function keyHash(agentId: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = fromBase64Url(agentId);
  } catch {
    throw new FingerprintError('not a public key');
  }
  if (key.length !== 32) throw new FingerprintError('not a public key');
  return sha256(key);
}

/** Words both people read aloud before signing a vouch; the same key always gives the same words. */
/** Six words (one per byte of the key's hash) from `list`: English by default, or FINGERPRINT_WORDS_ES. */
export function fingerprintWords(agentId: string, count = 6, list: readonly string[] = FINGERPRINT_WORDS): string[] {
  const h = keyHash(agentId);
  return Array.from({ length: Math.min(count, 16) }, (_, i) => list[h[i]]);
}

export function fingerprintEmoji(agentId: string, count = 8): string[] {
  const h = keyHash(agentId);
  return Array.from({ length: Math.min(count, 32) }, (_, i) => FINGERPRINT_EMOJI[h[i] & 63]);
}
