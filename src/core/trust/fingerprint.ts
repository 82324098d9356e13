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
export function fingerprintWords(agentId: string, count = 6): string[] {
  const h = keyHash(agentId);
  return Array.from({ length: Math.min(count, 16) }, (_, i) => FINGERPRINT_WORDS[h[i]]);
}

export function fingerprintEmoji(agentId: string, count = 8): string[] {
  const h = keyHash(agentId);
  return Array.from({ length: Math.min(count, 32) }, (_, i) => FINGERPRINT_EMOJI[h[i] & 63]);
}
