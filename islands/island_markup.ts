/** Attribute on an island's wrapper: the island's name. */
export const ISLAND_ATTR = "data-island";
/** Attribute on the element the island renders into (sibling of its props script). */
export const ISLAND_ROOT_ATTR = "data-island-root";
