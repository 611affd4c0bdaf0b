//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// ChainlinkOracle
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const chainlinkOracleAbi = [
  {
    type: 'constructor',
    inputs: [{ name: 'owner_', internalType: 'address', type: 'address' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'feeds',
    outputs: [
      {
        name: 'aggregator',
        internalType: 'contract AggregatorV3Interface',
        type: 'address',
      },
      { name: 'heartbeat', internalType: 'uint32', type: 'uint32' },
      { name: 'decimals', internalType: 'uint8', type: 'uint8' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'owner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'price',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      {
        name: 'aggregator',
        internalType: 'contract AggregatorV3Interface',
        type: 'address',
      },
      { name: 'heartbeat', internalType: 'uint32', type: 'uint32' },
    ],
    name: 'setFeed',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'newOwner', internalType: 'address', type: 'address' }],
    name: 'setOwner',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'aggregator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'heartbeat',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'FeedSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnerSet',
  },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'FeedNotSet',
  },
  {
    type: 'error',
    inputs: [{ name: 'value', internalType: 'uint256', type: 'uint256' }],
    name: 'InvalidDuration',
  },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'answer', internalType: 'int256', type: 'int256' },
    ],
    name: 'InvalidPrice',
  },
  { type: 'error', inputs: [], name: 'NotOwner' },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'updatedAt', internalType: 'uint256', type: 'uint256' },
      { name: 'heartbeat', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StalePrice',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// ErrorsLib
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const errorsLibAbi = [
  {
    type: 'error',
    inputs: [{ name: 'flaggedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'AlreadyFlagged',
  },
  { type: 'error', inputs: [], name: 'BorrowPaused' },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'CollateralAlreadyListed',
  },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'CollateralNotListed',
  },
  { type: 'error', inputs: [], name: 'DebtTooLarge' },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'FeedNotSet',
  },
  {
    type: 'error',
    inputs: [{ name: 'allowedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'GracePeriodActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'HealthyAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
      { name: 'balance', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientBalance',
  },
  {
    type: 'error',
    inputs: [
      { name: 'borrowPowerValue', internalType: 'uint256', type: 'uint256' },
      { name: 'debtValue', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientCollateral',
  },
  {
    type: 'error',
    inputs: [
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
      { name: 'available', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientLiquidity',
  },
  { type: 'error', inputs: [], name: 'InvalidBonus' },
  {
    type: 'error',
    inputs: [{ name: 'value', internalType: 'uint256', type: 'uint256' }],
    name: 'InvalidDuration',
  },
  {
    type: 'error',
    inputs: [{ name: 'value', internalType: 'uint256', type: 'uint256' }],
    name: 'InvalidFraction',
  },
  {
    type: 'error',
    inputs: [
      { name: 'hardHealth', internalType: 'uint256', type: 'uint256' },
      { name: 'minimum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidHardHealth',
  },
  {
    type: 'error',
    inputs: [
      { name: 'ltv', internalType: 'uint256', type: 'uint256' },
      { name: 'lt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidLtv',
  },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'answer', internalType: 'int256', type: 'int256' },
    ],
    name: 'InvalidPrice',
  },
  { type: 'error', inputs: [], name: 'InvalidRateModel' },
  {
    type: 'error',
    inputs: [
      { name: 'targetHealth', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidTargetHealth',
  },
  { type: 'error', inputs: [], name: 'NoDebt' },
  { type: 'error', inputs: [], name: 'NotFlagged' },
  { type: 'error', inputs: [], name: 'NotGuardian' },
  { type: 'error', inputs: [], name: 'NotOwner' },
  { type: 'error', inputs: [], name: 'NothingToLiquidate' },
  {
    type: 'error',
    inputs: [
      { name: 'seized', internalType: 'uint256', type: 'uint256' },
      { name: 'minSeized', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SeizedBelowMinimum',
  },
  {
    type: 'error',
    inputs: [{ name: 'allowedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'SliceIntervalActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'healthAfter', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SliceLowersHealth',
  },
  {
    type: 'error',
    inputs: [
      { name: 'repaid', internalType: 'uint256', type: 'uint256' },
      { name: 'minimum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SliceTooSmall',
  },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'updatedAt', internalType: 'uint256', type: 'uint256' },
      { name: 'heartbeat', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StalePrice',
  },
  { type: 'error', inputs: [], name: 'TooManyCollaterals' },
  {
    type: 'error',
    inputs: [
      { name: 'caller', internalType: 'address', type: 'address' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
    ],
    name: 'Unauthorized',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnhealthyAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'decimals', internalType: 'uint8', type: 'uint8' },
    ],
    name: 'UnsupportedDecimals',
  },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'WithdrawPaused',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroAmount' },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// EventsLib
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const eventsLibAbi = [
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'manager',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'allowed', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'AuthorizationSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'badDebt',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'coveredByInsurance',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'socialised',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'BadDebt',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'receiver',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'debtAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Borrowed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'CollateralDeposited',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'index', internalType: 'uint8', type: 'uint8', indexed: false },
      {
        name: 'decimals',
        internalType: 'uint8',
        type: 'uint8',
        indexed: false,
      },
      { name: 'ltv', internalType: 'uint256', type: 'uint256', indexed: false },
      { name: 'lt', internalType: 'uint256', type: 'uint256', indexed: false },
    ],
    name: 'CollateralListed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'ltv', internalType: 'uint256', type: 'uint256', indexed: false },
      { name: 'lt', internalType: 'uint256', type: 'uint256', indexed: false },
    ],
    name: 'CollateralParamsSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'paused', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'CollateralPauseSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'receiver',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
    ],
    name: 'CollateralWithdrawn',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'healthFactor',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Flagged',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'guardian',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'GuardianSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'borrowIndex',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'interest',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'toInsurance',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'InterestAccrued',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'liquidator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'collateral',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'zone',
        internalType: 'enum Zone',
        type: 'uint8',
        indexed: false,
      },
      {
        name: 'repaid',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'seized',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'bonus',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'healthBefore',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'healthAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Liquidated',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'borrowPaused',
        internalType: 'bool',
        type: 'bool',
        indexed: false,
      },
      {
        name: 'withdrawPaused',
        internalType: 'bool',
        type: 'bool',
        indexed: false,
      },
    ],
    name: 'MarketPauseSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnerSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'model',
        internalType: 'struct RateModel',
        type: 'tuple',
        components: [
          { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
          { name: 'slope1', internalType: 'uint64', type: 'uint64' },
          { name: 'slope2', internalType: 'uint64', type: 'uint64' },
          { name: 'kink', internalType: 'uint64', type: 'uint64' },
          { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
        ],
        indexed: false,
      },
    ],
    name: 'RateModelSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'debtAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Repaid',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'params',
        internalType: 'struct RiskParams',
        type: 'tuple',
        components: [
          { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
          { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
          { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
          { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
          { name: 'hardCloseFactor', internalType: 'uint64', type: 'uint64' },
          { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
          { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
        ],
        indexed: false,
      },
    ],
    name: 'RiskParamsSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'healthFactor',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Unflagged',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// MockAggregator
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const mockAggregatorAbi = [
  {
    type: 'constructor',
    inputs: [
      { name: 'decimals_', internalType: 'uint8', type: 'uint8' },
      { name: 'description_', internalType: 'string', type: 'string' },
      { name: 'initialAnswer', internalType: 'int256', type: 'int256' },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'decimals',
    outputs: [{ name: '', internalType: 'uint8', type: 'uint8' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'description',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'roundId', internalType: 'uint80', type: 'uint80' }],
    name: 'getRoundData',
    outputs: [
      { name: '', internalType: 'uint80', type: 'uint80' },
      { name: '', internalType: 'int256', type: 'int256' },
      { name: '', internalType: 'uint256', type: 'uint256' },
      { name: '', internalType: 'uint256', type: 'uint256' },
      { name: '', internalType: 'uint80', type: 'uint80' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'latestAnswer',
    outputs: [{ name: '', internalType: 'int256', type: 'int256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'latestRoundData',
    outputs: [
      { name: '', internalType: 'uint80', type: 'uint80' },
      { name: '', internalType: 'int256', type: 'int256' },
      { name: '', internalType: 'uint256', type: 'uint256' },
      { name: '', internalType: 'uint256', type: 'uint256' },
      { name: '', internalType: 'uint80', type: 'uint80' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'refresh',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'answer', internalType: 'int256', type: 'int256' }],
    name: 'setAnswer',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'answer', internalType: 'int256', type: 'int256' },
      { name: 'updatedAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'setAnswerAt',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'version',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'current',
        internalType: 'int256',
        type: 'int256',
        indexed: true,
      },
      {
        name: 'roundId',
        internalType: 'uint256',
        type: 'uint256',
        indexed: true,
      },
      {
        name: 'updatedAt',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'AnswerUpdated',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// MockERC20
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const mockErc20Abi = [
  {
    type: 'constructor',
    inputs: [
      { name: 'name_', internalType: 'string', type: 'string' },
      { name: 'symbol_', internalType: 'string', type: 'string' },
      { name: 'decimals_', internalType: 'uint8', type: 'uint8' },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'DOMAIN_SEPARATOR',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'spender', internalType: 'address', type: 'address' },
    ],
    name: 'allowance',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'approve',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'balanceOf',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'decimals',
    outputs: [{ name: '', internalType: 'uint8', type: 'uint8' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'eip712Domain',
    outputs: [
      { name: 'fields', internalType: 'bytes1', type: 'bytes1' },
      { name: 'name', internalType: 'string', type: 'string' },
      { name: 'version', internalType: 'string', type: 'string' },
      { name: 'chainId', internalType: 'uint256', type: 'uint256' },
      { name: 'verifyingContract', internalType: 'address', type: 'address' },
      { name: 'salt', internalType: 'bytes32', type: 'bytes32' },
      { name: 'extensions', internalType: 'uint256[]', type: 'uint256[]' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'mint',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'name',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'owner', internalType: 'address', type: 'address' }],
    name: 'nonces',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'v', internalType: 'uint8', type: 'uint8' },
      { name: 'r', internalType: 'bytes32', type: 'bytes32' },
      { name: 's', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'permit',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'symbol',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalSupply',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transfer',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transferFrom',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'spender',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Approval',
  },
  { type: 'event', anonymous: false, inputs: [], name: 'EIP712DomainChanged' },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'from', internalType: 'address', type: 'address', indexed: true },
      { name: 'to', internalType: 'address', type: 'address', indexed: true },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Transfer',
  },
  { type: 'error', inputs: [], name: 'ECDSAInvalidSignature' },
  {
    type: 'error',
    inputs: [{ name: 'length', internalType: 'uint256', type: 'uint256' }],
    name: 'ECDSAInvalidSignatureLength',
  },
  {
    type: 'error',
    inputs: [{ name: 's', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ECDSAInvalidSignatureS',
  },
  {
    type: 'error',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'allowance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientAllowance',
  },
  {
    type: 'error',
    inputs: [
      { name: 'sender', internalType: 'address', type: 'address' },
      { name: 'balance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientBalance',
  },
  {
    type: 'error',
    inputs: [{ name: 'approver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidApprover',
  },
  {
    type: 'error',
    inputs: [{ name: 'receiver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidReceiver',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSender',
  },
  {
    type: 'error',
    inputs: [{ name: 'spender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSpender',
  },
  {
    type: 'error',
    inputs: [{ name: 'deadline', internalType: 'uint256', type: 'uint256' }],
    name: 'ERC2612ExpiredSignature',
  },
  {
    type: 'error',
    inputs: [
      { name: 'signer', internalType: 'address', type: 'address' },
      { name: 'owner', internalType: 'address', type: 'address' },
    ],
    name: 'ERC2612InvalidSigner',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'currentNonce', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidAccountNonce',
  },
  { type: 'error', inputs: [], name: 'InvalidShortString' },
  {
    type: 'error',
    inputs: [{ name: 'str', internalType: 'string', type: 'string' }],
    name: 'StringTooLong',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// SoftLandingLens
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const softLandingLensAbi = [
  {
    type: 'function',
    inputs: [
      {
        name: 'market',
        internalType: 'contract SoftLandingMarket',
        type: 'address',
      },
    ],
    name: 'getMarket',
    outputs: [
      {
        name: 'm',
        internalType: 'struct SoftLandingLens.MarketView',
        type: 'tuple',
        components: [
          { name: 'market', internalType: 'address', type: 'address' },
          { name: 'oracle', internalType: 'address', type: 'address' },
          { name: 'loanToken', internalType: 'address', type: 'address' },
          { name: 'loanSymbol', internalType: 'string', type: 'string' },
          { name: 'loanDecimals', internalType: 'uint8', type: 'uint8' },
          { name: 'loanPrice', internalType: 'uint256', type: 'uint256' },
          { name: 'loanPriceOk', internalType: 'bool', type: 'bool' },
          {
            name: 'risk',
            internalType: 'struct RiskParams',
            type: 'tuple',
            components: [
              { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
              { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
              { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
              { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
              { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
              { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
              {
                name: 'hardCloseFactor',
                internalType: 'uint64',
                type: 'uint64',
              },
              { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
              { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
            ],
          },
          {
            name: 'rateModel',
            internalType: 'struct RateModel',
            type: 'tuple',
            components: [
              { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
              { name: 'slope1', internalType: 'uint64', type: 'uint64' },
              { name: 'slope2', internalType: 'uint64', type: 'uint64' },
              { name: 'kink', internalType: 'uint64', type: 'uint64' },
              { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
            ],
          },
          { name: 'totalAssets', internalType: 'uint256', type: 'uint256' },
          { name: 'totalShares', internalType: 'uint256', type: 'uint256' },
          { name: 'totalDebt', internalType: 'uint256', type: 'uint256' },
          { name: 'cash', internalType: 'uint256', type: 'uint256' },
          {
            name: 'availableLiquidity',
            internalType: 'uint256',
            type: 'uint256',
          },
          { name: 'insuranceFund', internalType: 'uint256', type: 'uint256' },
          {
            name: 'totalSocialisedBadDebt',
            internalType: 'uint256',
            type: 'uint256',
          },
          { name: 'borrowIndex', internalType: 'uint256', type: 'uint256' },
          { name: 'utilization', internalType: 'uint256', type: 'uint256' },
          {
            name: 'borrowRatePerYear',
            internalType: 'uint256',
            type: 'uint256',
          },
          {
            name: 'supplyRatePerYear',
            internalType: 'uint256',
            type: 'uint256',
          },
          { name: 'borrowPaused', internalType: 'bool', type: 'bool' },
          { name: 'withdrawPaused', internalType: 'bool', type: 'bool' },
          {
            name: 'collaterals',
            internalType: 'struct SoftLandingLens.CollateralView[]',
            type: 'tuple[]',
            components: [
              { name: 'asset', internalType: 'address', type: 'address' },
              { name: 'symbol', internalType: 'string', type: 'string' },
              { name: 'decimals', internalType: 'uint8', type: 'uint8' },
              { name: 'ltv', internalType: 'uint64', type: 'uint64' },
              { name: 'lt', internalType: 'uint64', type: 'uint64' },
              { name: 'paused', internalType: 'bool', type: 'bool' },
              { name: 'price', internalType: 'uint256', type: 'uint256' },
              { name: 'priceOk', internalType: 'bool', type: 'bool' },
              { name: 'balance', internalType: 'uint256', type: 'uint256' },
              { name: 'value', internalType: 'uint256', type: 'uint256' },
            ],
          },
          { name: 'blockNumber', internalType: 'uint256', type: 'uint256' },
          { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'market',
        internalType: 'contract SoftLandingMarket',
        type: 'address',
      },
      { name: 'account', internalType: 'address', type: 'address' },
    ],
    name: 'getPosition',
    outputs: [
      {
        name: 'p',
        internalType: 'struct SoftLandingLens.PositionView',
        type: 'tuple',
        components: [
          {
            name: 'market',
            internalType: 'struct SoftLandingLens.MarketView',
            type: 'tuple',
            components: [
              { name: 'market', internalType: 'address', type: 'address' },
              { name: 'oracle', internalType: 'address', type: 'address' },
              { name: 'loanToken', internalType: 'address', type: 'address' },
              { name: 'loanSymbol', internalType: 'string', type: 'string' },
              { name: 'loanDecimals', internalType: 'uint8', type: 'uint8' },
              { name: 'loanPrice', internalType: 'uint256', type: 'uint256' },
              { name: 'loanPriceOk', internalType: 'bool', type: 'bool' },
              {
                name: 'risk',
                internalType: 'struct RiskParams',
                type: 'tuple',
                components: [
                  {
                    name: 'softBonusMin',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                  {
                    name: 'softBonusMax',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                  { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
                  {
                    name: 'hardHealth',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                  {
                    name: 'targetHealth',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                  { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
                  {
                    name: 'hardCloseFactor',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                  {
                    name: 'gracePeriod',
                    internalType: 'uint32',
                    type: 'uint32',
                  },
                  {
                    name: 'sliceInterval',
                    internalType: 'uint32',
                    type: 'uint32',
                  },
                ],
              },
              {
                name: 'rateModel',
                internalType: 'struct RateModel',
                type: 'tuple',
                components: [
                  { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
                  { name: 'slope1', internalType: 'uint64', type: 'uint64' },
                  { name: 'slope2', internalType: 'uint64', type: 'uint64' },
                  { name: 'kink', internalType: 'uint64', type: 'uint64' },
                  {
                    name: 'reserveFactor',
                    internalType: 'uint64',
                    type: 'uint64',
                  },
                ],
              },
              { name: 'totalAssets', internalType: 'uint256', type: 'uint256' },
              { name: 'totalShares', internalType: 'uint256', type: 'uint256' },
              { name: 'totalDebt', internalType: 'uint256', type: 'uint256' },
              { name: 'cash', internalType: 'uint256', type: 'uint256' },
              {
                name: 'availableLiquidity',
                internalType: 'uint256',
                type: 'uint256',
              },
              {
                name: 'insuranceFund',
                internalType: 'uint256',
                type: 'uint256',
              },
              {
                name: 'totalSocialisedBadDebt',
                internalType: 'uint256',
                type: 'uint256',
              },
              { name: 'borrowIndex', internalType: 'uint256', type: 'uint256' },
              { name: 'utilization', internalType: 'uint256', type: 'uint256' },
              {
                name: 'borrowRatePerYear',
                internalType: 'uint256',
                type: 'uint256',
              },
              {
                name: 'supplyRatePerYear',
                internalType: 'uint256',
                type: 'uint256',
              },
              { name: 'borrowPaused', internalType: 'bool', type: 'bool' },
              { name: 'withdrawPaused', internalType: 'bool', type: 'bool' },
              {
                name: 'collaterals',
                internalType: 'struct SoftLandingLens.CollateralView[]',
                type: 'tuple[]',
                components: [
                  { name: 'asset', internalType: 'address', type: 'address' },
                  { name: 'symbol', internalType: 'string', type: 'string' },
                  { name: 'decimals', internalType: 'uint8', type: 'uint8' },
                  { name: 'ltv', internalType: 'uint64', type: 'uint64' },
                  { name: 'lt', internalType: 'uint64', type: 'uint64' },
                  { name: 'paused', internalType: 'bool', type: 'bool' },
                  { name: 'price', internalType: 'uint256', type: 'uint256' },
                  { name: 'priceOk', internalType: 'bool', type: 'bool' },
                  { name: 'balance', internalType: 'uint256', type: 'uint256' },
                  { name: 'value', internalType: 'uint256', type: 'uint256' },
                ],
              },
              { name: 'blockNumber', internalType: 'uint256', type: 'uint256' },
              { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
            ],
          },
          { name: 'account', internalType: 'address', type: 'address' },
          { name: 'debt', internalType: 'uint256', type: 'uint256' },
          { name: 'scaledDebt', internalType: 'uint256', type: 'uint256' },
          { name: 'debtValue', internalType: 'uint256', type: 'uint256' },
          { name: 'collateralValue', internalType: 'uint256', type: 'uint256' },
          { name: 'collateralPower', internalType: 'uint256', type: 'uint256' },
          { name: 'borrowPower', internalType: 'uint256', type: 'uint256' },
          { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
          { name: 'healthOk', internalType: 'bool', type: 'bool' },
          { name: 'zone', internalType: 'enum Zone', type: 'uint8' },
          { name: 'flaggedAt', internalType: 'uint256', type: 'uint256' },
          { name: 'lastSliceAt', internalType: 'uint256', type: 'uint256' },
          { name: 'blockNumber', internalType: 'uint256', type: 'uint256' },
          { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'market',
        internalType: 'contract SoftLandingMarket',
        type: 'address',
      },
      { name: 'accounts', internalType: 'address[]', type: 'address[]' },
    ],
    name: 'getPositions',
    outputs: [
      {
        name: 'v',
        internalType: 'struct SoftLandingLens.PositionsView',
        type: 'tuple',
        components: [
          { name: 'blockNumber', internalType: 'uint256', type: 'uint256' },
          { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
          { name: 'loanPrice', internalType: 'uint256', type: 'uint256' },
          {
            name: 'collateralPrices',
            internalType: 'uint256[]',
            type: 'uint256[]',
          },
          {
            name: 'accounts',
            internalType: 'struct SoftLandingLens.AccountSummary[]',
            type: 'tuple[]',
            components: [
              { name: 'account', internalType: 'address', type: 'address' },
              { name: 'debt', internalType: 'uint256', type: 'uint256' },
              {
                name: 'healthFactor',
                internalType: 'uint256',
                type: 'uint256',
              },
              { name: 'healthOk', internalType: 'bool', type: 'bool' },
              { name: 'zone', internalType: 'enum Zone', type: 'uint8' },
              { name: 'flaggedAt', internalType: 'uint256', type: 'uint256' },
              { name: 'lastSliceAt', internalType: 'uint256', type: 'uint256' },
              {
                name: 'balances',
                internalType: 'uint256[]',
                type: 'uint256[]',
              },
            ],
          },
        ],
      },
    ],
    stateMutability: 'view',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// SoftLandingMarket
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const softLandingMarketAbi = [
  {
    type: 'constructor',
    inputs: [
      {
        name: 'loanToken',
        internalType: 'contract IERC20Metadata',
        type: 'address',
      },
      {
        name: 'oracle_',
        internalType: 'contract IPriceOracle',
        type: 'address',
      },
      { name: 'name_', internalType: 'string', type: 'string' },
      { name: 'symbol_', internalType: 'string', type: 'string' },
      { name: 'owner_', internalType: 'address', type: 'address' },
      {
        name: 'risk',
        internalType: 'struct RiskParams',
        type: 'tuple',
        components: [
          { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
          { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
          { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
          { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
          { name: 'hardCloseFactor', internalType: 'uint64', type: 'uint64' },
          { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
          { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
        ],
      },
      {
        name: 'rates',
        internalType: 'struct RateModel',
        type: 'tuple',
        components: [
          { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
          { name: 'slope1', internalType: 'uint64', type: 'uint64' },
          { name: 'slope2', internalType: 'uint64', type: 'uint64' },
          { name: 'kink', internalType: 'uint64', type: 'uint64' },
          { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'accounts',
    outputs: [
      { name: 'scaledDebt', internalType: 'uint128', type: 'uint128' },
      { name: 'flaggedAt', internalType: 'uint40', type: 'uint40' },
      { name: 'lastSliceAt', internalType: 'uint40', type: 'uint40' },
      { name: 'collateralMask', internalType: 'uint8', type: 'uint8' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'spender', internalType: 'address', type: 'address' },
    ],
    name: 'allowance',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'approve',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'asset',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'availableLiquidity',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'balanceOf',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
      { name: 'receiver', internalType: 'address', type: 'address' },
    ],
    name: 'borrow',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'borrowIndex',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'borrowPaused',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'borrowRatePerYear',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'cash',
    outputs: [{ name: '', internalType: 'uint128', type: 'uint128' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'collateralConfig',
    outputs: [
      {
        name: '',
        internalType: 'struct CollateralConfig',
        type: 'tuple',
        components: [
          { name: 'listed', internalType: 'bool', type: 'bool' },
          { name: 'paused', internalType: 'bool', type: 'bool' },
          { name: 'index', internalType: 'uint8', type: 'uint8' },
          { name: 'decimals', internalType: 'uint8', type: 'uint8' },
          { name: 'ltv', internalType: 'uint64', type: 'uint64' },
          { name: 'lt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'asset', internalType: 'address', type: 'address' },
    ],
    name: 'collateralOf',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'collaterals',
    outputs: [{ name: '', internalType: 'address[]', type: 'address[]' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'shares', internalType: 'uint256', type: 'uint256' }],
    name: 'convertToAssets',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'assets', internalType: 'uint256', type: 'uint256' }],
    name: 'convertToShares',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'debtOf',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'decimals',
    outputs: [{ name: '', internalType: 'uint8', type: 'uint8' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'receiver', internalType: 'address', type: 'address' },
    ],
    name: 'deposit',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
    ],
    name: 'depositCollateral',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'flag',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'guardian',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'healthFactor',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'insuranceFund',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'manager', internalType: 'address', type: 'address' },
    ],
    name: 'isAuthorized',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'lastAccrual',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'collateral', internalType: 'address', type: 'address' },
      { name: 'maxRepay', internalType: 'uint256', type: 'uint256' },
      { name: 'minSeized', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'liquidate',
    outputs: [
      { name: 'repaid', internalType: 'uint256', type: 'uint256' },
      { name: 'seized', internalType: 'uint256', type: 'uint256' },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'liquidationState',
    outputs: [
      { name: 'flaggedAt', internalType: 'uint256', type: 'uint256' },
      { name: 'lastSliceAt', internalType: 'uint256', type: 'uint256' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'ltv', internalType: 'uint64', type: 'uint64' },
      { name: 'lt', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'listCollateral',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: '', internalType: 'address', type: 'address' }],
    name: 'maxDeposit',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: '', internalType: 'address', type: 'address' }],
    name: 'maxMint',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'owner_', internalType: 'address', type: 'address' }],
    name: 'maxRedeem',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'owner_', internalType: 'address', type: 'address' }],
    name: 'maxWithdraw',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'shares', internalType: 'uint256', type: 'uint256' },
      { name: 'receiver', internalType: 'address', type: 'address' },
    ],
    name: 'mint',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'name',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'oracle',
    outputs: [
      { name: '', internalType: 'contract IPriceOracle', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'owner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'assets', internalType: 'uint256', type: 'uint256' }],
    name: 'previewDeposit',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'collateral', internalType: 'address', type: 'address' },
    ],
    name: 'previewLiquidation',
    outputs: [
      {
        name: 'p',
        internalType: 'struct LiquidationPreview',
        type: 'tuple',
        components: [
          { name: 'repayCap', internalType: 'uint256', type: 'uint256' },
          { name: 'seized', internalType: 'uint256', type: 'uint256' },
          { name: 'bonus', internalType: 'uint256', type: 'uint256' },
          { name: 'zone', internalType: 'enum Zone', type: 'uint8' },
          { name: 'allowed', internalType: 'bool', type: 'bool' },
          { name: 'allowedAt', internalType: 'uint256', type: 'uint256' },
          { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'shares', internalType: 'uint256', type: 'uint256' }],
    name: 'previewMint',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'shares', internalType: 'uint256', type: 'uint256' }],
    name: 'previewRedeem',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'assets', internalType: 'uint256', type: 'uint256' }],
    name: 'previewWithdraw',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'rateModel',
    outputs: [
      {
        name: '',
        internalType: 'struct RateModel',
        type: 'tuple',
        components: [
          { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
          { name: 'slope1', internalType: 'uint64', type: 'uint64' },
          { name: 'slope2', internalType: 'uint64', type: 'uint64' },
          { name: 'kink', internalType: 'uint64', type: 'uint64' },
          { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'shares', internalType: 'uint256', type: 'uint256' },
      { name: 'receiver', internalType: 'address', type: 'address' },
      { name: 'owner', internalType: 'address', type: 'address' },
    ],
    name: 'redeem',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
    ],
    name: 'repay',
    outputs: [{ name: 'repaid', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'riskParams',
    outputs: [
      {
        name: '',
        internalType: 'struct RiskParams',
        type: 'tuple',
        components: [
          { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
          { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
          { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
          { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
          { name: 'hardCloseFactor', internalType: 'uint64', type: 'uint64' },
          { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
          { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
        ],
      },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'manager', internalType: 'address', type: 'address' },
      { name: 'allowed', internalType: 'bool', type: 'bool' },
    ],
    name: 'setAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'ltv', internalType: 'uint64', type: 'uint64' },
      { name: 'lt', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'setCollateralParams',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'paused', internalType: 'bool', type: 'bool' },
    ],
    name: 'setCollateralPause',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'newGuardian', internalType: 'address', type: 'address' }],
    name: 'setGuardian',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'borrowPaused_', internalType: 'bool', type: 'bool' },
      { name: 'withdrawPaused_', internalType: 'bool', type: 'bool' },
    ],
    name: 'setMarketPause',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'newOwner', internalType: 'address', type: 'address' }],
    name: 'setOwner',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'model',
        internalType: 'struct RateModel',
        type: 'tuple',
        components: [
          { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
          { name: 'slope1', internalType: 'uint64', type: 'uint64' },
          { name: 'slope2', internalType: 'uint64', type: 'uint64' },
          { name: 'kink', internalType: 'uint64', type: 'uint64' },
          { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'setRateModel',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'params',
        internalType: 'struct RiskParams',
        type: 'tuple',
        components: [
          { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
          { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
          { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
          { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
          { name: 'hardCloseFactor', internalType: 'uint64', type: 'uint64' },
          { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
          { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
        ],
      },
    ],
    name: 'setRiskParams',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'symbol',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalAssets',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalDebt',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalSocialisedBadDebt',
    outputs: [{ name: '', internalType: 'uint128', type: 'uint128' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalSupply',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transfer',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transferFrom',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'unflag',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'receiver', internalType: 'address', type: 'address' },
      { name: 'owner', internalType: 'address', type: 'address' },
    ],
    name: 'withdraw',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
      { name: 'receiver', internalType: 'address', type: 'address' },
    ],
    name: 'withdrawCollateral',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'withdrawPaused',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'spender',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Approval',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'manager',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'allowed', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'AuthorizationSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'badDebt',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'coveredByInsurance',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'socialised',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'BadDebt',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'receiver',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'debtAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Borrowed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'CollateralDeposited',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'index', internalType: 'uint8', type: 'uint8', indexed: false },
      {
        name: 'decimals',
        internalType: 'uint8',
        type: 'uint8',
        indexed: false,
      },
      { name: 'ltv', internalType: 'uint256', type: 'uint256', indexed: false },
      { name: 'lt', internalType: 'uint256', type: 'uint256', indexed: false },
    ],
    name: 'CollateralListed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'ltv', internalType: 'uint256', type: 'uint256', indexed: false },
      { name: 'lt', internalType: 'uint256', type: 'uint256', indexed: false },
    ],
    name: 'CollateralParamsSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'paused', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'CollateralPauseSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'asset',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'receiver',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
    ],
    name: 'CollateralWithdrawn',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'sender',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'shares',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Deposit',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'healthFactor',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Flagged',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'guardian',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'GuardianSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'borrowIndex',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'interest',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'toInsurance',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'InterestAccrued',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'liquidator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'collateral',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'zone',
        internalType: 'enum Zone',
        type: 'uint8',
        indexed: false,
      },
      {
        name: 'repaid',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'seized',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'bonus',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'healthBefore',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'healthAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Liquidated',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'borrowPaused',
        internalType: 'bool',
        type: 'bool',
        indexed: false,
      },
      {
        name: 'withdrawPaused',
        internalType: 'bool',
        type: 'bool',
        indexed: false,
      },
    ],
    name: 'MarketPauseSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnerSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'model',
        internalType: 'struct RateModel',
        type: 'tuple',
        components: [
          { name: 'baseRate', internalType: 'uint64', type: 'uint64' },
          { name: 'slope1', internalType: 'uint64', type: 'uint64' },
          { name: 'slope2', internalType: 'uint64', type: 'uint64' },
          { name: 'kink', internalType: 'uint64', type: 'uint64' },
          { name: 'reserveFactor', internalType: 'uint64', type: 'uint64' },
        ],
        indexed: false,
      },
    ],
    name: 'RateModelSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'onBehalf',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'debtAfter',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Repaid',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'params',
        internalType: 'struct RiskParams',
        type: 'tuple',
        components: [
          { name: 'softBonusMin', internalType: 'uint64', type: 'uint64' },
          { name: 'softBonusMax', internalType: 'uint64', type: 'uint64' },
          { name: 'hardBonus', internalType: 'uint64', type: 'uint64' },
          { name: 'hardHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'targetHealth', internalType: 'uint64', type: 'uint64' },
          { name: 'sliceCap', internalType: 'uint64', type: 'uint64' },
          { name: 'hardCloseFactor', internalType: 'uint64', type: 'uint64' },
          { name: 'gracePeriod', internalType: 'uint32', type: 'uint32' },
          { name: 'sliceInterval', internalType: 'uint32', type: 'uint32' },
        ],
        indexed: false,
      },
    ],
    name: 'RiskParamsSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'from', internalType: 'address', type: 'address', indexed: true },
      { name: 'to', internalType: 'address', type: 'address', indexed: true },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Transfer',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'caller',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'healthFactor',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Unflagged',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'sender',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'receiver',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'assets',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
      {
        name: 'shares',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Withdraw',
  },
  {
    type: 'error',
    inputs: [{ name: 'flaggedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'AlreadyFlagged',
  },
  { type: 'error', inputs: [], name: 'BorrowPaused' },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'CollateralAlreadyListed',
  },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'CollateralNotListed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'allowance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientAllowance',
  },
  {
    type: 'error',
    inputs: [
      { name: 'sender', internalType: 'address', type: 'address' },
      { name: 'balance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientBalance',
  },
  {
    type: 'error',
    inputs: [{ name: 'approver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidApprover',
  },
  {
    type: 'error',
    inputs: [{ name: 'receiver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidReceiver',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSender',
  },
  {
    type: 'error',
    inputs: [{ name: 'spender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSpender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'receiver', internalType: 'address', type: 'address' },
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'max', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC4626ExceededMaxDeposit',
  },
  {
    type: 'error',
    inputs: [
      { name: 'receiver', internalType: 'address', type: 'address' },
      { name: 'shares', internalType: 'uint256', type: 'uint256' },
      { name: 'max', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC4626ExceededMaxMint',
  },
  {
    type: 'error',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'shares', internalType: 'uint256', type: 'uint256' },
      { name: 'max', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC4626ExceededMaxRedeem',
  },
  {
    type: 'error',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'assets', internalType: 'uint256', type: 'uint256' },
      { name: 'max', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC4626ExceededMaxWithdraw',
  },
  {
    type: 'error',
    inputs: [{ name: 'allowedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'GracePeriodActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'HealthyAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
      { name: 'balance', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientBalance',
  },
  {
    type: 'error',
    inputs: [
      { name: 'borrowPowerValue', internalType: 'uint256', type: 'uint256' },
      { name: 'debtValue', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientCollateral',
  },
  {
    type: 'error',
    inputs: [
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
      { name: 'available', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientLiquidity',
  },
  { type: 'error', inputs: [], name: 'InvalidBonus' },
  {
    type: 'error',
    inputs: [{ name: 'value', internalType: 'uint256', type: 'uint256' }],
    name: 'InvalidDuration',
  },
  {
    type: 'error',
    inputs: [{ name: 'value', internalType: 'uint256', type: 'uint256' }],
    name: 'InvalidFraction',
  },
  {
    type: 'error',
    inputs: [
      { name: 'hardHealth', internalType: 'uint256', type: 'uint256' },
      { name: 'minimum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidHardHealth',
  },
  {
    type: 'error',
    inputs: [
      { name: 'ltv', internalType: 'uint256', type: 'uint256' },
      { name: 'lt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidLtv',
  },
  { type: 'error', inputs: [], name: 'InvalidRateModel' },
  {
    type: 'error',
    inputs: [
      { name: 'targetHealth', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidTargetHealth',
  },
  { type: 'error', inputs: [], name: 'NoDebt' },
  { type: 'error', inputs: [], name: 'NotFlagged' },
  { type: 'error', inputs: [], name: 'NotGuardian' },
  { type: 'error', inputs: [], name: 'NotOwner' },
  { type: 'error', inputs: [], name: 'NothingToLiquidate' },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'bits', internalType: 'uint8', type: 'uint8' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SafeCastOverflowedUintDowncast',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'SafeERC20FailedOperation',
  },
  {
    type: 'error',
    inputs: [
      { name: 'seized', internalType: 'uint256', type: 'uint256' },
      { name: 'minSeized', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SeizedBelowMinimum',
  },
  {
    type: 'error',
    inputs: [{ name: 'allowedAt', internalType: 'uint256', type: 'uint256' }],
    name: 'SliceIntervalActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'healthAfter', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SliceLowersHealth',
  },
  {
    type: 'error',
    inputs: [
      { name: 'repaid', internalType: 'uint256', type: 'uint256' },
      { name: 'minimum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SliceTooSmall',
  },
  { type: 'error', inputs: [], name: 'TooManyCollaterals' },
  {
    type: 'error',
    inputs: [
      { name: 'caller', internalType: 'address', type: 'address' },
      { name: 'onBehalf', internalType: 'address', type: 'address' },
    ],
    name: 'Unauthorized',
  },
  {
    type: 'error',
    inputs: [
      { name: 'healthFactor', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnhealthyAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'asset', internalType: 'address', type: 'address' },
      { name: 'decimals', internalType: 'uint8', type: 'uint8' },
    ],
    name: 'UnsupportedDecimals',
  },
  {
    type: 'error',
    inputs: [{ name: 'asset', internalType: 'address', type: 'address' }],
    name: 'WithdrawPaused',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroAmount' },
] as const
