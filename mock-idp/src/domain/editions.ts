/**
 * The two editions of "Get started with hybrid clients" the portal can present: AVEVA Data Hub (today's) and
 * OSIsoft Cloud Services (the earlier one). They differ in wording, in how Security > Clients is reached, and in
 * the procedure: the OCS edition has no Add Secret step, and its Client Successfully Created window shows the
 * client Id only. The identity server behind them is the same.
 */
export type EditionName = 'data-hub' | 'ocs';

export interface PortalEdition {
  name: EditionName;
  /** The product, as the page header and the documents name it. */
  product: string;
  /** The product as sentences name it ("keep users logged in to …"). */
  shortName: string;
  /** Data Hub: Security > Clients in the left pane. OCS: the menu icon, then Clients under Security. */
  navigation: 'left-pane' | 'menu';
  /** How to reach the clients, in the document's words. */
  wayToClients: string;
  /** Data Hub: the Add Secret window follows Add. OCS: Add creates the client, with no secret. */
  secretAtCreation: boolean;
  /** Data Hub: Copy buttons beside the fields. OCS: a Copy icon. */
  copyControl: 'button' | 'icon';
  /** Data Hub's note under Allow Refresh Token; the OCS edition has none. */
  refreshTokenNote: string | null;
  /** Where the real service's identity server was, for the pages that say what an application configures. */
  realAuthority: string;
}

export const editions: Record<EditionName, PortalEdition> = {
  'data-hub': {
    name: 'data-hub',
    product: 'AVEVA™ Data Hub',
    shortName: 'AVEVA Data Hub',
    navigation: 'left-pane',
    wayToClients: 'Security > Clients, as in AVEVA Data Hub',
    secretAtCreation: true,
    copyControl: 'button',
    refreshTokenNote:
      'Avoid selecting this option if there is no need to refresh tokens. There is a long lifespan for requesting new access tokens.',
    realAuthority: 'https://uswe.datahub.connect.aveva.com/identity',
  },
  ocs: {
    name: 'ocs',
    product: 'OSIsoft Cloud Services',
    shortName: 'OCS',
    navigation: 'menu',
    wayToClients: 'the menu icon, then Clients under Security, as in OCS',
    secretAtCreation: false,
    copyControl: 'icon',
    refreshTokenNote: null,
    realAuthority: 'https://dat-b.osisoft.com/identity',
  },
};

export const editionNames = Object.keys(editions) as [EditionName, ...EditionName[]];
