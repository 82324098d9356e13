/**
 * A small local plant table for the PermaculturePlanner: temperate-climate sowing/planting months for
 * the northern hemisphere (the planner shifts them by six months in the south), companions and plants
 * to keep apart, from common companion-planting and forest-garden practice. It is a starting point a
 * community can argue with, not a botanical authority.
 */
export type Layer = 'canopy' | 'shrub' | 'herbaceous' | 'groundcover' | 'root' | 'climber';
export type Role = 'nitrogen-fixer' | 'accumulator' | 'pollinator' | 'pest-repellent' | 'food';

export interface Plant {
  id: string;
  name: string;
  /** Words people write in titles, lower-case ("tomatoes", "tomate"); multi-word aliases need every word. */
  aliases: string[];
  perennial: boolean;
  layer: Layer;
  roles: Role[];
  /** Months (1–12, northern hemisphere) to sow or plant out. */
  months: number[];
  companions: string[];
  avoid: string[];
}

const p = (id: string, name: string, aliases: string[], perennial: boolean, layer: Layer, roles: Role[], months: number[], companions: string[], avoid: string[] = []): Plant => ({
  id, name, aliases: [id, ...aliases], perennial, layer, roles, months, companions, avoid,
});

export const PLANTS: readonly Plant[] = [
  p('tomato', 'Tomato', ['tomatoes', 'tomate', 'tomates'], false, 'herbaceous', ['food'], [3, 4, 5], ['basil', 'marigold', 'carrot', 'borage', 'nasturtium', 'garlic', 'chives'], ['potato', 'fennel', 'cabbage', 'dill']),
  p('basil', 'Basil', ['albahaca'], false, 'herbaceous', ['food', 'pest-repellent'], [4, 5, 6], ['tomato', 'pepper'], ['sage']),
  p('pepper', 'Pepper', ['peppers', 'chilli', 'chili', 'pimiento'], false, 'herbaceous', ['food'], [2, 3, 4], ['basil', 'onion', 'carrot'], ['fennel']),
  p('marigold', 'Marigold', ['marigolds', 'tagetes'], false, 'herbaceous', ['pest-repellent', 'pollinator'], [3, 4, 5], ['tomato', 'bean', 'squash', 'potato']),
  p('carrot', 'Carrot', ['carrots', 'zanahoria'], false, 'root', ['food'], [3, 4, 5, 6, 7], ['onion', 'leek', 'lettuce', 'tomato', 'chives', 'radish'], ['dill', 'fennel']),
  p('onion', 'Onion', ['onions', 'cebolla'], false, 'root', ['food', 'pest-repellent'], [2, 3, 4, 9], ['carrot', 'lettuce', 'beet', 'cabbage'], ['bean', 'pea']),
  p('garlic', 'Garlic', ['ajo'], false, 'root', ['food', 'pest-repellent'], [2, 10, 11], ['tomato', 'carrot', 'strawberry', 'apple'], ['bean', 'pea']),
  p('leek', 'Leek', ['leeks', 'puerro'], false, 'root', ['food'], [2, 3, 4], ['carrot', 'onion'], ['bean', 'pea']),
  p('lettuce', 'Lettuce', ['lettuces', 'salad', 'lechuga'], false, 'herbaceous', ['food'], [3, 4, 5, 6, 7, 8], ['carrot', 'radish', 'strawberry', 'onion']),
  p('radish', 'Radish', ['radishes', 'rabano'], false, 'root', ['food'], [3, 4, 5, 6, 7, 8, 9], ['lettuce', 'pea', 'carrot', 'cucumber']),
  p('spinach', 'Spinach', ['espinaca'], false, 'herbaceous', ['food'], [3, 4, 8, 9], ['strawberry', 'pea', 'radish']),
  p('pea', 'Pea', ['peas', 'guisante', 'guisantes'], false, 'climber', ['food', 'nitrogen-fixer'], [3, 4, 5, 10], ['carrot', 'radish', 'spinach', 'cucumber'], ['onion', 'garlic', 'leek']),
  p('bean', 'Bean', ['beans', 'runner bean', 'frijol', 'judia'], false, 'climber', ['food', 'nitrogen-fixer'], [5, 6, 7], ['corn', 'squash', 'carrot', 'marigold', 'potato'], ['onion', 'garlic', 'leek', 'fennel']),
  p('broad-bean', 'Broad bean', ['broad bean', 'fava', 'favas', 'haba', 'habas'], false, 'herbaceous', ['food', 'nitrogen-fixer'], [2, 3, 10, 11], ['potato', 'spinach'], ['onion', 'garlic']),
  p('corn', 'Corn', ['maize', 'sweetcorn', 'maiz'], false, 'herbaceous', ['food'], [5, 6], ['bean', 'squash', 'sunflower'], ['tomato']),
  p('squash', 'Squash', ['squashes', 'pumpkin', 'pumpkins', 'calabaza'], false, 'groundcover', ['food'], [5, 6], ['corn', 'bean', 'nasturtium', 'marigold', 'borage'], ['potato']),
  p('courgette', 'Courgette', ['courgettes', 'zucchini', 'calabacin'], false, 'groundcover', ['food'], [5, 6], ['bean', 'nasturtium', 'borage'], ['potato']),
  p('cucumber', 'Cucumber', ['cucumbers', 'pepino'], false, 'climber', ['food'], [4, 5, 6], ['bean', 'pea', 'dill', 'radish', 'sunflower', 'nasturtium'], ['potato', 'sage']),
  p('potato', 'Potato', ['potatoes', 'patata', 'patatas'], false, 'root', ['food'], [3, 4], ['bean', 'corn', 'marigold', 'broad-bean'], ['tomato', 'squash', 'cucumber', 'sunflower']),
  p('beet', 'Beetroot', ['beetroot', 'beets', 'remolacha'], false, 'root', ['food'], [4, 5, 6, 7], ['onion', 'lettuce', 'cabbage']),
  p('cabbage', 'Cabbage', ['cabbages', 'col', 'repollo'], false, 'herbaceous', ['food'], [3, 4, 5, 6], ['dill', 'onion', 'beet', 'sage', 'mint', 'nasturtium'], ['tomato', 'strawberry']),
  p('kale', 'Kale', ['col rizada'], false, 'herbaceous', ['food'], [3, 4, 5, 6, 7], ['beet', 'onion', 'nasturtium'], ['strawberry']),
  p('chard', 'Chard', ['swiss chard', 'acelga', 'acelgas'], false, 'herbaceous', ['food'], [4, 5, 6, 7], ['onion', 'bean', 'lettuce']),
  p('dill', 'Dill', ['eneldo'], false, 'herbaceous', ['pollinator'], [4, 5, 6, 7], ['cabbage', 'cucumber', 'lettuce'], ['carrot', 'tomato']),
  p('fennel', 'Fennel', ['hinojo'], false, 'herbaceous', ['pollinator'], [4, 5, 6], [], ['tomato', 'bean', 'carrot', 'pepper']),
  p('borage', 'Borage', ['borraja'], false, 'herbaceous', ['pollinator', 'accumulator'], [4, 5, 6], ['tomato', 'squash', 'strawberry', 'courgette']),
  p('nasturtium', 'Nasturtium', ['nasturtiums', 'capuchina'], false, 'groundcover', ['pest-repellent', 'pollinator'], [4, 5, 6], ['squash', 'cucumber', 'tomato', 'cabbage', 'apple']),
  p('calendula', 'Calendula', ['pot marigold'], false, 'herbaceous', ['pollinator', 'pest-repellent'], [3, 4, 5, 9], ['tomato', 'carrot', 'lettuce']),
  p('sunflower', 'Sunflower', ['sunflowers', 'girasol'], false, 'herbaceous', ['pollinator', 'food'], [4, 5, 6], ['cucumber', 'corn', 'squash'], ['potato']),
  p('clover', 'Clover', ['white clover', 'trebol'], true, 'groundcover', ['nitrogen-fixer', 'pollinator'], [3, 4, 5, 8, 9], ['apple', 'pear', 'plum', 'squash']),
  p('comfrey', 'Comfrey', ['consuelda'], true, 'herbaceous', ['accumulator', 'pollinator'], [3, 4, 10], ['apple', 'pear', 'plum', 'raspberry']),
  p('yarrow', 'Yarrow', ['milenrama'], true, 'herbaceous', ['accumulator', 'pollinator'], [4, 5, 9], ['apple', 'pear', 'blackcurrant']),
  p('chives', 'Chives', ['cebollino'], true, 'herbaceous', ['pest-repellent', 'pollinator', 'food'], [3, 4, 5], ['apple', 'carrot', 'tomato'], ['bean', 'pea']),
  p('mint', 'Mint', ['menta', 'hierbabuena'], true, 'groundcover', ['pest-repellent', 'food'], [4, 5], ['cabbage', 'tomato']),
  p('sage', 'Sage', ['salvia'], true, 'herbaceous', ['pollinator', 'pest-repellent'], [4, 5], ['cabbage', 'carrot', 'rosemary'], ['cucumber', 'basil']),
  p('rosemary', 'Rosemary', ['romero'], true, 'shrub', ['pollinator', 'pest-repellent'], [4, 5], ['sage', 'bean', 'cabbage']),
  p('thyme', 'Thyme', ['tomillo'], true, 'groundcover', ['pollinator'], [4, 5], ['cabbage', 'strawberry', 'tomato']),
  p('lavender', 'Lavender', ['lavanda'], true, 'shrub', ['pollinator'], [4, 5, 9], ['apple', 'rosemary']),
  p('strawberry', 'Strawberry', ['strawberries', 'fresa', 'fresas'], true, 'groundcover', ['food'], [3, 4, 8, 9], ['borage', 'lettuce', 'spinach', 'garlic', 'thyme'], ['cabbage', 'kale']),
  p('rhubarb', 'Rhubarb', ['ruibarbo'], true, 'herbaceous', ['food'], [3, 4, 10, 11], ['garlic', 'onion']),
  p('raspberry', 'Raspberry', ['raspberries', 'raspberry canes', 'frambuesa'], true, 'shrub', ['food'], [11, 12, 1, 2, 3], ['garlic', 'comfrey', 'marigold'], ['potato', 'tomato']),
  p('blackcurrant', 'Blackcurrant', ['blackcurrants', 'currant', 'currants', 'grosella'], true, 'shrub', ['food'], [11, 12, 1, 2, 3], ['comfrey', 'yarrow', 'chives']),
  p('hazel', 'Hazel', ['hazelnut', 'hazelnuts', 'avellano'], true, 'shrub', ['food'], [11, 12, 1, 2, 3], ['comfrey', 'clover']),
  p('apple', 'Apple tree', ['apple tree', 'apples', 'manzano'], true, 'canopy', ['food'], [11, 12, 1, 2, 3], ['comfrey', 'clover', 'chives', 'nasturtium', 'yarrow', 'garlic', 'lavender']),
  p('pear', 'Pear tree', ['pear tree', 'pears', 'peral'], true, 'canopy', ['food'], [11, 12, 1, 2, 3], ['comfrey', 'clover', 'yarrow', 'chives']),
  p('plum', 'Plum tree', ['plum tree', 'plums', 'ciruelo'], true, 'canopy', ['food'], [11, 12, 1, 2, 3], ['comfrey', 'clover', 'garlic', 'nasturtium']),
];

export const PLANT_BY_ID: ReadonlyMap<string, Plant> = new Map(PLANTS.map((x) => [x.id, x]));
