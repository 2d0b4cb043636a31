/**
 * Vocabulary for generated people and org units. Plain ASCII on purpose: emails are built from
 * names, and seed data should not be where an encoding problem first shows up.
 */

export const FIRST_NAMES = [
  'Aaliyah', 'Aarav', 'Abigail', 'Adrian', 'Aiko', 'Alejandro', 'Alice', 'Amara', 'Amir', 'Ana',
  'Andrei', 'Anika', 'Arjun', 'Astrid', 'Ayesha', 'Beatriz', 'Benjamin', 'Bilal', 'Bruno', 'Camila',
  'Carlos', 'Chen', 'Chidi', 'Chloe', 'Daniel', 'Daria', 'David', 'Deepa', 'Diego', 'Dmitri',
  'Elena', 'Elif', 'Emeka', 'Emma', 'Erik', 'Esther', 'Fatima', 'Felix', 'Fernando', 'Freya',
  'Gabriel', 'Grace', 'Hana', 'Hannah', 'Hassan', 'Hiroshi', 'Ibrahim', 'Ines', 'Isaac', 'Ivan',
  'Jakob', 'James', 'Jia', 'Jonas', 'Jose', 'Julia', 'Kai', 'Kamala', 'Karim', 'Kenji',
  'Kofi', 'Lars', 'Layla', 'Leila', 'Leon', 'Liam', 'Lina', 'Lucas', 'Lucia', 'Mai',
  'Malik', 'Marco', 'Maria', 'Mateo', 'Maya', 'Mehmet', 'Mei', 'Mia', 'Mohammed', 'Nadia',
  'Naveen', 'Nia', 'Nikolai', 'Noah', 'Nora', 'Olga', 'Omar', 'Oscar', 'Priya', 'Rafael',
  'Rahul', 'Ravi', 'Rosa', 'Sakura', 'Samuel', 'Sara', 'Sebastian', 'Sofia', 'Sven', 'Tariq',
  'Thabo', 'Tomas', 'Valentina', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zainab', 'Zara', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Ahmed', 'Alvarez', 'Andersen', 'Bakker', 'Banerjee', 'Becker', 'Bianchi', 'Brown',
  'Castillo', 'Chen', 'Cohen', 'Costa', 'Da Silva', 'Dubois', 'Eriksson', 'Fernandes', 'Fischer', 'Garcia',
  'Gonzalez', 'Gupta', 'Haddad', 'Hansen', 'Hernandez', 'Hoffmann', 'Ivanova', 'Jansen', 'Jones', 'Kato',
  'Khan', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez', 'Mahmoud', 'Martin', 'Mendes',
  'Mensah', 'Meyer', 'Moreau', 'Mueller', 'Nakamura', 'Nguyen', 'Novak', 'Nowak', 'Obi', 'Okafor',
  'Olsen', 'Park', 'Patel', 'Perez', 'Petrov', 'Popescu', 'Quinn', 'Rahman', 'Ramirez', 'Reddy',
  'Rossi', 'Russo', 'Sato', 'Schmidt', 'Schneider', 'Sharma', 'Silva', 'Singh', 'Smith', 'Sokolov',
  'Suzuki', 'Tanaka', 'Taylor', 'Thompson', 'Tran', 'Van Dijk', 'Vargas', 'Wagner', 'Wang', 'Weber',
  'Williams', 'Wong', 'Wu', 'Yamamoto', 'Yilmaz', 'Yusuf', 'Zhang', 'Zhou', 'Zielinski', 'Zuniga',
] as const;

/** The fixed top of every generated org: one division per VP, in this order. */
export interface DivisionSpec {
  readonly slug: string;
  readonly name: string;
  readonly departments: readonly string[];
  /** Individual-contributor roles, without seniority. */
  readonly roles: readonly string[];
}

export const BUILDER_RELATIONS_DIVISION: DivisionSpec = {
  slug: 'br',
  name: 'Builder Relations',
  departments: [
    'Developer Advocacy', 'Solutions Architecture', 'Developer Content', 'Community Programs',
    'Partner Engineering', 'Startup Programs', 'Developer Experience', 'Builder Insights',
  ],
  roles: [
    'Developer Advocate', 'Solutions Architect', 'Technical Writer', 'Community Manager',
    'Developer Relations Engineer', 'Program Manager', 'Partner Solutions Engineer',
  ],
};

export const OTHER_DIVISIONS: readonly DivisionSpec[] = [
  {
    slug: 'engineering',
    name: 'Engineering',
    departments: ['Platform', 'SDKs', 'Data Services', 'Reliability', 'Developer Tools', 'Security Engineering'],
    roles: ['Software Engineer', 'Site Reliability Engineer', 'Product Designer', 'Engineering Program Manager'],
  },
  {
    slug: 'sales',
    name: 'Sales',
    departments: ['Sales North America', 'Sales EMEA', 'Sales APAC', 'Sales Operations'],
    roles: ['Account Executive', 'Sales Engineer', 'Sales Development Representative'],
  },
  {
    slug: 'customer-success',
    name: 'Customer Success',
    departments: ['Support', 'Technical Account Management', 'Professional Services'],
    roles: ['Support Engineer', 'Technical Account Manager', 'Consultant'],
  },
  {
    slug: 'marketing',
    name: 'Marketing',
    departments: ['Product Marketing', 'Events', 'Brand', 'Growth'],
    roles: ['Product Marketing Manager', 'Event Manager', 'Content Strategist'],
  },
  {
    slug: 'finance',
    name: 'Finance',
    departments: ['Accounting', 'Financial Planning', 'Procurement'],
    roles: ['Financial Analyst', 'Accountant', 'Procurement Specialist'],
  },
  {
    slug: 'people',
    name: 'People',
    departments: ['Talent Acquisition', 'People Partners', 'Learning'],
    roles: ['Recruiter', 'People Partner', 'Learning Specialist'],
  },
  {
    slug: 'legal',
    name: 'Legal and Compliance',
    departments: ['Commercial Legal', 'Compliance', 'Privacy'],
    roles: ['Counsel', 'Compliance Analyst', 'Privacy Specialist'],
  },
];

export const TEAM_NAMES = [
  'Atlas', 'Beacon', 'Cascade', 'Comet', 'Compass', 'Delta', 'Ember', 'Falcon', 'Harbor', 'Horizon',
  'Lighthouse', 'Meridian', 'Nova', 'Orbit', 'Pioneer', 'Polaris', 'Quasar', 'Summit', 'Tundra', 'Vector',
] as const;

export const IC_SENIORITY: readonly (readonly [prefix: string, weight: number])[] = [
  ['Associate ', 2],
  ['', 5],
  ['Senior ', 4],
  ['Staff ', 1.5],
  ['Principal ', 0.5],
];
