/** An amount of money in the currency's minor unit. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currencyCode: string;
}

/** The caller-chosen fields of a new product. */
export interface NewProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly categoryId: string;
  readonly price: Money;
  readonly stock: number;
}

/** A product of the catalog with its stock. */
export interface Product extends NewProduct {
  readonly id: string;
  readonly version: number;
  readonly createTime: Date;
  readonly updateTime: Date;
}

/** The fields UpdateProduct may change. */
export type EditableField = 'sku' | 'name' | 'description' | 'categoryId' | 'price';

/** New values of some editable fields. */
export type ProductChanges = Partial<Pick<Product, EditableField>>;

/** A category with how many products it holds. */
export interface Category {
  readonly id: string;
  readonly productCount: number;
}

/** One page of products and where the next one starts. */
export interface ProductPage {
  readonly products: Product[];
  /** Id of the last product of this page when more follow. */
  readonly lastId?: string;
}

/** The editable fields whose values differ between a product and the changes asked for. */
export function changedFields(product: Product, changes: ProductChanges): EditableField[] {
  return (Object.keys(changes) as EditableField[]).filter((field) => !sameValue(product[field], changes[field]));
}

function sameValue(left: unknown, right: unknown): boolean {
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null) {
    const a = left as Money;
    const b = right as Money;
    return a.amountMinor === b.amountMinor && a.currencyCode === b.currencyCode;
  }
  return left === right;
}
