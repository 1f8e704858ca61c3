import { adminProcedure, createTRPCRouter, staffProcedure } from "../trpc.ts";
import { calibrationStudio, saveCalibration } from "./cameras/calibration.handler.ts";
import {
  createCamera,
  getSourcePolicy,
  listCameras,
  setCameraSource,
  setSourcePolicy,
  updateCamera,
} from "./cameras/cameras.handler.ts";
import {
  ZCameraInput,
  ZCreateCameraInput,
  ZSaveCalibrationInput,
  ZSetCameraSourceInput,
  ZSetSourcePolicyInput,
  ZStoreInput,
  ZUpdateCameraInput,
} from "./cameras/schemas.ts";

/**
 * Cameras and their calibration (frame → floor plan). Staff calibrate and manage cameras; only admins say
 * where a camera is read from (its source and the store's allowlist of camera hosts), since the agent fetches
 * whatever a source names. Changes are audited.
 */
export const camerasRouter = createTRPCRouter({
  list: staffProcedure.input(ZStoreInput).query(listCameras),
  create: adminProcedure.input(ZCreateCameraInput).mutation(createCamera),
  update: staffProcedure.input(ZUpdateCameraInput).mutation(updateCamera),
  setSource: adminProcedure.input(ZSetCameraSourceInput).mutation(setCameraSource),
  sourcePolicy: adminProcedure.input(ZStoreInput).query(getSourcePolicy),
  setSourcePolicy: adminProcedure.input(ZSetSourcePolicyInput).mutation(setSourcePolicy),
  calibration: staffProcedure.input(ZCameraInput).query(calibrationStudio),
  saveCalibration: staffProcedure.input(ZSaveCalibrationInput).mutation(saveCalibration),
});
