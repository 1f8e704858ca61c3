import { createTRPCRouter, staffProcedure } from "../trpc.ts";
import { calibrationStudio, saveCalibration } from "./cameras/calibration.handler.ts";
import { createCamera, listCameras, updateCamera } from "./cameras/cameras.handler.ts";
import {
  ZCameraInput,
  ZCreateCameraInput,
  ZSaveCalibrationInput,
  ZUpdateCameraInput,
} from "./cameras/schemas.ts";
import { z } from "zod";
import { ZStoreSlug } from "../trpc.ts";

/** Staff: cameras and their calibration (frame → floor plan). Changes are audited. */
export const camerasRouter = createTRPCRouter({
  list: staffProcedure.input(z.object({ storeSlug: ZStoreSlug }).strict()).query(listCameras),
  create: staffProcedure.input(ZCreateCameraInput).mutation(createCamera),
  update: staffProcedure.input(ZUpdateCameraInput).mutation(updateCamera),
  calibration: staffProcedure.input(ZCameraInput).query(calibrationStudio),
  saveCalibration: staffProcedure.input(ZSaveCalibrationInput).mutation(saveCalibration),
});
